import { SESv2Client } from '@aws-sdk/client-sesv2';

/** Created once per module; the SES v2 emulator is reached through AWS_ENDPOINT_URL_SESV2. */
export const ses = new SESv2Client({});
