/** The deployment's settings, read once from config.json beside index.html (shared/http/web-config.ts). */
import type { WebConfig } from '@shared/http/web-config';

export type { WebConfig };

let loaded: WebConfig | undefined;

export async function loadConfig(): Promise<WebConfig> {
  if (loaded) return loaded;
  const res = await fetch('./config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  loaded = (await res.json()) as WebConfig;
  return loaded;
}

export function config(): WebConfig {
  if (!loaded) throw new Error('config.json is not loaded yet');
  return loaded;
}

/** The API's base URL: the configured one, or this page's origin. */
export function apiBase(): string {
  const url = config().apiUrl;
  return url === '' ? window.location.origin : url.replace(/\/+$/, '');
}
