import { SESv2Client } from '@aws-sdk/client-sesv2';
import { traced } from '../observability/tracer';

/** Created once per module; the SES v2 emulator is reached through AWS_ENDPOINT_URL_SESV2. */
export const ses = traced(new SESv2Client({}));
