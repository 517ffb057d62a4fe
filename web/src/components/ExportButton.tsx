/**
 * 导出Excel (docs/exports.md): asks an export route (GET /exports/…) for the file, then opens the
 * presigned link it answers (the file comes as an attachment, straight from the bucket). A refusal
 * (409: more than 5,000 cases, narrow the filter) is shown beside the button, in the API's words.
 */
import { useState } from 'react';
import type { ExportLink } from '@shared/app/exports';
import { api } from '../lib/api';
import { Button, ErrorBanner } from './ui';

export function ExportButton({ path, query = {}, label = '导出Excel' }: { path: string; query?: Record<string, string | number | undefined>; label?: string }) {
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  async function run(): Promise<void> {
    setState({ busy: true });
    try {
      const { data } = await api.get<ExportLink>(path, { query });
      const a = document.createElement('a');
      a.href = data.url;
      a.download = data.fileName;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error });
    }
  }
  return (
    <span className="export-button">
      <Button onClick={() => void run()} busy={state.busy}>
        {label}
      </Button>
      <ErrorBanner error={state.error} />
    </span>
  );
}
