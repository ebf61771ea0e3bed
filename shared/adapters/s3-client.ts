import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '../observability/tracer';

/** Created once per module; the local S3 emulator is reached through AWS_ENDPOINT_URL_S3. */
export const s3 = traced(new S3Client({}));
