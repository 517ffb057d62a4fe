/**
 * The health check (GET /health): is each dependency reachable now? Public, so it says only
 * which dependency is down and how long each probe took — no case data, no configuration.
 * Each probe is bounded by the same deadline: a hung dependency is reported as down, it does not
 * hang the check.
 */

import type { Probe } from './ports';

export type { Probe };

export interface HealthCheck {
  ok: boolean;
  ms: number;
  /** Why it is down: timeout, or the error's name (never its message, which may carry names of resources). */
  reason?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, HealthCheck>;
}

export const HEALTH_PROBE_TIMEOUT_MS = 3_000;

export async function checkHealth(probes: Record<string, Probe>, timeoutMs = HEALTH_PROBE_TIMEOUT_MS): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, HealthCheck]> => {
      const started = Date.now();
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(Object.assign(new Error('timeout'), { name: 'Timeout' }));
        }, timeoutMs);
      });
      try {
        await Promise.race([probe(controller.signal), deadline]);
        return [name, { ok: true, ms: Date.now() - started }];
      } catch (err) {
        const reason =
          err instanceof Error ? (err.name === 'Timeout' || err.name === 'AbortError' ? 'timeout' : ((err as { code?: string }).code ?? err.name)) : 'error';
        return [name, { ok: false, ms: Date.now() - started, reason }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { status: entries.every(([, c]) => c.ok) ? 'ok' : 'unavailable', checks };
}
