import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** Created once per module; the local bus is reached through AWS_ENDPOINT_URL_EVENTBRIDGE. */
export const eventBridge = new EventBridgeClient({});
