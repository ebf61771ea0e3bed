import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { contentCatalogue } from '../shared/capture/content-catalogue';

export const LOCAL_ASSETS_BUCKET = 'leadpipe-assets-local';
/** s3rver checks signatures against its fixed development key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * s3rver: an S3 emulator that speaks the REST API and checks SigV4 signatures, so presigned download
 * URLs are made and verified exactly as on AWS. The catalogue's PDFs are uploaded like BucketDeployment does.
 */
export async function startS3Emulator(projectRoot: string): Promise<S3Emulator> {
  const directory = mkdtempSync(join(tmpdir(), 'leadpipe-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: LOCAL_ASSETS_BUCKET, configs: [] }],
  });
  const address = (await server.run()) as unknown as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, region: 'eu-central-1', credentials: S3RVER_CREDENTIALS, forcePathStyle: true });
  for (const asset of contentCatalogue) {
    await client.send(
      new PutObjectCommand({
        Bucket: LOCAL_ASSETS_BUCKET,
        Key: asset.file,
        Body: readFileSync(join(projectRoot, 'content', 'assets', asset.file)),
        ContentType: asset.contentType,
      }),
    );
  }
  client.destroy();
  return {
    endpoint,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
