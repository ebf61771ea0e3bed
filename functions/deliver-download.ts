import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '../shared/adapters/s3-client';
import { findAsset } from '../shared/capture/content-catalogue';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { httpHandler, type HttpEvent } from '../shared/http/http-handler';
import { InvalidTokenError, NotFoundError } from '../shared/http/http-errors';
import { offeringNewLink, verifiedLink } from '../shared/http/token-page';
import { loadAppSecrets } from '../shared/security/app-secrets';

const config = readEnv(FUNCTION_ENV['deliver-download']);
/** Short-lived: the signed link is the lasting credential, the S3 URL only carries this one download. */
const PRESIGNED_URL_SECONDS = 300;
const loadSecrets = () => loadAppSecrets(process.env);
// An expired link's page offers a new one, mailed to the lead's own address (functions/renew-link.ts).
const renewable = { purpose: 'download', publicBaseUrl: config.PUBLIC_BASE_URL, loadSecrets } as const;

/** GET /downloads/{assetId}?token=…: checks the signed, expiring link and redirects to a presigned S3 URL. */
export const handler = httpHandler((event) => offeringNewLink(event, renewable, () => deliver(event)));

async function deliver(event: HttpEvent) {
  const assetId = event.pathParameters?.assetId ?? '';
  const asset = findAsset(assetId);
  if (!asset) throw new NotFoundError(`No asset ${assetId}`);
  const { token } = await verifiedLink(event, 'download', loadSecrets);
  // A valid link for another asset must not open this one.
  if (token.data?.assetId !== asset.id) throw new InvalidTokenError('wrong_purpose');
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: config.ASSETS_BUCKET,
      Key: asset.file,
      ResponseContentDisposition: `attachment; filename="${asset.file}"`,
      ResponseContentType: asset.contentType,
    }),
    { expiresIn: PRESIGNED_URL_SECONDS },
  );
  return { statusCode: 302, headers: { location: url, 'cache-control': 'no-store' }, body: '' };
}
