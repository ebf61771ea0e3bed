/** One CORS policy for both the HttpApi preflight in CDK and the local HTTP server. */
export const corsPolicy = {
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['content-type', 'accept', 'accept-language'],
  maxAgeSeconds: 600,
} as const;

export function isAllowedOrigin(origin: string | undefined, allowedOrigins: readonly string[]): origin is string {
  return origin !== undefined && allowedOrigins.includes(origin);
}
