import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { traced } from '../observability/tracer';

/** Created once per module; the local bus is reached through AWS_ENDPOINT_URL_EVENTBRIDGE. */
export const eventBridge = traced(new EventBridgeClient({}));
