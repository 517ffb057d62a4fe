/**
 * 机器识别文本（未校对）: the machine reading of a scan (docs/ocr.md), beside the image in the
 * document viewer — page by page, with the page's status, its text and a 复制 button (and one for
 * every page). While the scan waits for its reading it shows 识别中… and asks again every few
 * seconds; a failed reading says so. While the case is still being registered the clerk may take
 * the text into the case's 来信全文 (POST /cases/{no}/full-text, If-Match), filling it or adding
 * to what was typed. Each reading handed out is recorded in the case's audit trail.
 */
import { useEffect, useState } from 'react';
import type { CaseView } from '@shared/app/views';
import { Button, ErrorBanner, Notice } from '../../components/ui';
import { api, casePath } from '../../lib/api';
import type { Actor } from '../../lib/auth';

interface OcrPageView {
  page: number;
  status: 'read' | 'blank' | 'unreadable' | 'rejected';
  statusLabel: string;
  text: string;
  confidence: number | null;
}

interface OcrView {
  status: 'queued' | 'done' | 'failed' | 'none';
  statusLabel: string;
  error?: string;
  pages: OcrPageView[];
}

/** How often a queued reading is asked for again. */
const POLL_MS = 3000;

/** The document types the OCR reads (SCAN_CONTENT_TYPES). */
const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'];

export function isScan(doc: { kind: string; contentType: string; status: string }): boolean {
  return doc.kind !== 'generated' && doc.status === 'verified' && SCAN_TYPES.includes(doc.contentType);
}

/** The text of the read pages, in order, as one block (the case's 全文 takes it so). */
export function pagesText(pages: OcrPageView[]): string {
  return pages
    .filter((p) => p.status === 'read' && p.text !== '')
    .map((p) => p.text)
    .join('\n\n');
}

async function copy(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

function CopyButton({ text, label, what }: { text: string; label: string; what: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="link"
      aria-label={`${label}${what}`}
      onClick={() =>
        void copy(text).then(() => {
          setCopied(true);
          window.setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? '已复制' : label}
    </Button>
  );
}

export function OcrText({
  c,
  documentId,
  user,
  onAudited,
  onCaseChanged,
}: {
  c: CaseView;
  documentId: string;
  user?: Actor;
  onAudited?: () => void;
  onCaseChanged?: () => void;
}) {
  const [ocr, setOcr] = useState<OcrView | undefined>();
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [taken, setTaken] = useState<string | undefined>();

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const load = async (): Promise<void> => {
      try {
        const { data } = await api.get<OcrView>(casePath(c.caseNo, 'documents', documentId, 'ocr'));
        if (stopped) return;
        setOcr(data);
        setError(undefined);
        if (data.status === 'done') onAudited?.();
        if (data.status === 'queued') timer = window.setTimeout(() => void load(), POLL_MS);
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    void load();
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
    };
    // (onAudited changes with every render of the page; the reading is loaded once per document.)
  }, [c.caseNo, documentId]);

  const all = ocr ? pagesText(ocr.pages) : '';
  const mayTake = Boolean(user?.roles.includes('clerk')) && c.status === 'registered' && all !== '';

  async function takeIntoFullText(): Promise<void> {
    setSaving(true);
    setError(undefined);
    try {
      const fullText = c.fullText.trim() === '' ? all : `${c.fullText}\n\n${all}`;
      await api.post(casePath(c.caseNo, 'full-text'), { fullText, source: 'ocr' }, { ifMatch: c.version });
      setTaken(c.fullText.trim() === '' ? '已填入来信全文。' : '已追加到来信全文。');
      onCaseChanged?.();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="ocr-panel" aria-label="机器识别文本（未校对）">
      <h3>机器识别文本（未校对）</h3>
      <ErrorBanner error={error} />
      {!ocr ? (
        error ? null : (
          <p className="muted">正在读取…</p>
        )
      ) : ocr.status === 'queued' ? (
        <p className="ocr-status" role="status">
          <span className="spinner" aria-hidden="true" style={{ width: 10, height: 10, marginRight: 4 }} />
          识别中…
        </p>
      ) : ocr.status === 'failed' ? (
        <Notice kind="warn">识别失败，请对照原件人工录入。{ocr.error ? <span className="doc-reason">{ocr.error}</span> : null}</Notice>
      ) : ocr.status === 'none' ? (
        <p className="muted">{ocr.statusLabel}</p>
      ) : (
        <>
          <p className="muted ocr-note">机器自动识别，可能有错字漏字，请以原件为准。</p>
          <div className="row ocr-actions">
            {all !== '' ? <CopyButton text={all} label="复制全部" what="识别文本" /> : null}
            {mayTake ? (
              <Button onClick={() => void takeIntoFullText()} busy={saving}>
                {c.fullText.trim() === '' ? '填入来信全文' : '追加到来信全文'}
              </Button>
            ) : null}
          </div>
          {taken ? <Notice kind="success">{taken}</Notice> : null}
          {ocr.pages.map((p) => (
            <article key={p.page} className={`ocr-page ocr-page-${p.status}`} aria-label={`第 ${p.page} 页`}>
              <header>
                <strong>第 {p.page} 页</strong>
                <span className={`ocr-page-status ocr-page-status-${p.status}`}>{p.statusLabel}</span>
                {p.text !== '' ? <CopyButton text={p.text} label="复制" what={`第 ${p.page} 页`} /> : null}
              </header>
              {p.text !== '' ? <pre className="ocr-text">{p.text}</pre> : null}
            </article>
          ))}
        </>
      )}
    </section>
  );
}
