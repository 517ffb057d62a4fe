/**
 * The web application on the local stack: built from web/ with Vite when its sources changed,
 * served from web/dist at the gateway's root (http://localhost:3000/), with the config.json the
 * local stack generates (same origin API, the built-in issuer). In AWS, CloudFront serves the
 * same build with a config.json CDK writes (infra/constructs/web.ts).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_CONFIG_FILE, type WebConfig } from '../shared/http/web-config';
import { LOCAL_AUTH_PATH } from './issuer';

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');

/** What the build reads besides web/: the shared modules the application imports types from. */
const SOURCES = [join(WEB_ROOT, 'src'), join(WEB_ROOT, 'index.html'), join(WEB_ROOT, 'vite.config.ts')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether web/dist is missing or older than any source of the application. */
export function webBuildIsStale(): boolean {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > builtAt);
}

/** Builds web/ into web/dist with Vite when stale (or always with force); resolves when done. */
export async function ensureWebBuild(options: { force?: boolean; quiet?: boolean } = {}): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  if (!options.force && !webBuildIsStale()) return { built: false, ms: 0 };
  // Vite 8 warns that its future config loader will want file extensions on imports; the
  // project imports extensionless (moduleResolution Bundler) and the current loader is fine.
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  const { build } = await import('vite');
  // A production build whoever calls: under vitest NODE_ENV is 'test', which would otherwise
  // bundle React's development build (about 60 KB more gzipped, and slower).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), mode: 'production', logLevel: options.quiet ? 'error' : 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return { built: true, ms: Date.now() - started };
}

/** Where `npm run web:dev` serves the application (web/vite.config.ts): the local buckets accept its uploads too. */
export const WEB_DEV_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

/** The config.json of the local stack: the API on the page's own origin, the built-in issuer. */
export function localWebConfig(): WebConfig {
  return { apiUrl: '', auth: { kind: 'local', issuerUrl: LOCAL_AUTH_PATH }, environment: 'local' };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * A request handler for the gateway's `extra` hook: GET/HEAD of `/`, `/index.html`,
 * `/config.json` and the built files; false for anything else (the gateway then answers 404).
 */
export function webHandler(options: { distDir?: string; config: WebConfig }): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const dist = options.distDir ?? WEB_DIST;
  const configBody = JSON.stringify(options.config);
  return async (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    if (pathname === `/${WEB_CONFIG_FILE}`) {
      res.writeHead(200, { 'content-type': TYPES['.json'] as string, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(method === 'HEAD' ? undefined : configBody);
      return true;
    }
    const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = normalize(join(dist, rel));
    if (!file.startsWith(dist + sep) || rel.startsWith('.vite')) return false;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return false;
    }
    const immutable = rel.startsWith('assets/');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
    });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}
