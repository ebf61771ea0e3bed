import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_CONSOLE_CONFIG } from './console-auth';

/**
 * The marketing console on the local stack: the built SPA (console/dist) at /console/, and its config.json saying
 * "sign in locally". On AWS CloudFront serves the same build from S3; the hash router means neither needs rewrites.
 *
 * The stack never builds the console itself: `npm start`, the console's browser test and the screenshots call
 * ensureConsoleBuilt() first, so the many test stacks that never open the console start as fast as before.
 */

const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CONSOLE_DIR = join(PROJECT_ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/** What the build reads besides console/: the shared labels and types it imports, and the catalogues behind them. */
const BUILD_INPUTS = [CONSOLE_DIR, join(PROJECT_ROOT, 'shared'), join(PROJECT_ROOT, 'config')];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Scripts only from the console's own origin. Styles allow 'unsafe-inline' because an iframe with srcdoc inherits
 * this policy and the email previews are styled inline, as emails must be; the previews' sandbox blocks their scripts.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The answer for a GET under /console (not /console/api), or undefined for every other path. */
export function consoleStaticResponse(pathname: string, dist = CONSOLE_DIST): StaticResponse | undefined {
  if (pathname !== '/console' && !pathname.startsWith('/console/')) return undefined;
  if (pathname.startsWith('/console/api/') || pathname === '/console/api') return undefined;
  // The build's asset URLs are relative (./assets/…): without the slash they would resolve against /, not /console/.
  if (pathname === '/console') return { status: 308, headers: { ...COMMON_HEADERS, location: '/console/' }, body: '' };
  if (pathname === '/console/config.json') {
    return {
      status: 200,
      headers: { ...COMMON_HEADERS, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-cache' },
      body: JSON.stringify(LOCAL_CONSOLE_CONFIG),
    };
  }
  const relative = pathname === '/console/' ? 'index.html' : safeDecode(pathname.slice('/console/'.length));
  const file = relative === undefined ? undefined : resolve(dist, relative);
  if (!file?.startsWith(`${dist}${sep}`) || !isFile(file)) {
    if (relative === 'index.html') return notBuilt();
    return { status: 404, headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  }
  const isHtml = extname(file) === '.html';
  return {
    status: 200,
    headers: {
      ...COMMON_HEADERS,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // Vite puts a content hash in every name under assets/, so those never change; index.html must be re-read.
      'cache-control': relative!.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(isHtml ? { 'content-security-policy': CONSOLE_CSP } : {}),
    },
    body: readFileSync(file),
  };
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function notBuilt(): StaticResponse {
  return {
    status: 503,
    headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: 'The console is not built yet: `npm start` builds it (or run `npm run console:build`).',
  };
}

/** The newest modification time among the build's inputs, console/dist itself left out. */
function newestInput(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === CONSOLE_DIST || entry.name === 'node_modules' || entry.name.startsWith('.dist-')) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestInput(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function consoleBuildIsCurrent(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return BUILD_INPUTS.every((dir) => newestInput(dir) <= built);
}

/**
 * Builds console/dist with Vite when it is missing or older than its sources (about a second), else does nothing.
 * The build goes to a folder of its own and is swapped in, so two processes building at once never mix files.
 */
export async function ensureConsoleBuilt(options: { log?: (line: string) => void } = {}): Promise<'built' | 'current'> {
  if (consoleBuildIsCurrent()) return 'current';
  const started = Date.now();
  const { build } = await import('vite');
  const outDir = join(CONSOLE_DIR, `.dist-${process.pid}-${started}`);
  try {
    await build({
      root: CONSOLE_DIR,
      configFile: join(CONSOLE_DIR, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const old = join(CONSOLE_DIR, `.dist-old-${process.pid}-${started}`);
    try {
      renameSync(CONSOLE_DIST, old);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      renameSync(outDir, CONSOLE_DIST);
    } catch (error) {
      // Another process swapped in its build of the same sources in between: keep that one.
      if (!existsSync(join(CONSOLE_DIST, 'index.html'))) throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  options.log?.(`console built in ${Date.now() - started} ms`);
  return 'built';
}
