/**
 * 立即检查 (POST /archive/fixity/checks): an archivist re-hashes named packages now, from the
 * fixity page (any archive or case numbers) or from a package's page (that package). The report
 * is kept with the scheduled ones; a problem also goes into the case's audit trail.
 */
import type { FixityReportRecord } from '@shared/app/archive-ports';
import { useState } from 'react';
import { api } from '../../lib/api';

export { checkVerdict, parseRefs } from './fixity-text';

export function useFixityCheck(): {
  run: (refs: string[]) => Promise<FixityReportRecord | undefined>;
  busy: boolean;
  error: unknown;
  result: FixityReportRecord | undefined;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<FixityReportRecord>();
  const run = async (refs: string[]) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const { data } = await api.post<FixityReportRecord>('/archive/fixity/checks', { refs });
      setResult(data);
      return data;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, result };
}
