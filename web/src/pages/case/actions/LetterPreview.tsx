/**
 * 预览文书: the letters an action would issue with what is typed now
 * (POST /cases/{caseNo}/letters/preview), shown in the page before the user confirms. The PDF
 * comes back base64 in JSON; it is shown from a blob: URL with the shared FileViewer.
 */
import { useEffect, useState } from 'react';
import type { Action } from '@shared/domain/actions';
import type { LetterPreview as LetterPreviewBody } from '@shared/app/registry';
import { FileViewer } from '../../../components/FileViewer';
import { Button, Notice } from '../../../components/ui';
import { api, ApiError, casePath } from '../../../lib/api';

export interface PreviewState {
  letters: { title: string; documentNo: string | null; pages: number; blob: Blob; fileName: string }[];
}

export function toBlob(base64: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

/** A blob: URL for as long as the component shows it (created and revoked in one effect). */
export function useBlobUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return undefined;
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => {
      URL.revokeObjectURL(u);
      setUrl(undefined);
    };
  }, [blob]);
  return url;
}

/** Requests the preview; throws ApiError (field issues name `body.input.<field>`). */
export async function fetchPreview(caseNo: string, version: number, action: Action, input: Record<string, unknown>): Promise<PreviewState> {
  const r = await api.post<LetterPreviewBody>(casePath(caseNo, 'letters', 'preview'), { action, input }, { ifMatch: version });
  return {
    letters: r.data.letters.map((l) => ({
      title: l.title,
      documentNo: l.documentNo,
      pages: l.pages,
      blob: toBlob(l.pdfBase64),
      fileName: `${caseNo}-${l.title}（预览）.pdf`,
    })),
  };
}

/** Why a preview could not be shown, in words for the user. */
export function previewErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    // A route the server does not have answers 404 without details (an unknown case names itself).
    if (error.status === 404 && error.details === undefined) return '文书预览服务暂不可用，可直接确认办理，文书将在办理时生成。';
    if (error.status === 400 && error.issues.length > 0) return '无法生成文书预览：请按标红栏目下的提示修改。';
    return `无法生成文书预览：${error.message}`;
  }
  return `无法生成文书预览：${error instanceof Error ? error.message : String(error)}`;
}

export function LetterPreviewPanel({ preview, onClose }: { preview: PreviewState; onClose: () => void }) {
  const [index, setIndex] = useState(0);
  const current = preview.letters[Math.min(index, preview.letters.length - 1)];
  const url = useBlobUrl(current?.blob);
  return (
    <section className="letter-preview" aria-label="文书预览" data-testid="letter-preview">
      <div className="letter-preview-head">
        <strong>文书预览</strong>
        <span className="muted">（尚未出具：文号在确认办理时编定，预览件的校验码无效）</span>
        <Button variant="link" onClick={onClose}>
          关闭预览
        </Button>
      </div>
      {preview.letters.length === 0 ? (
        <Notice>按当前填写的内容，此操作不出具文书。</Notice>
      ) : (
        <>
          {preview.letters.length > 1 ? (
            <div className="row" role="tablist">
              {preview.letters.map((l, i) => (
                <Button key={i} role="tab" aria-selected={i === index} variant={i === index ? 'primary' : 'default'} onClick={() => setIndex(i)}>
                  {l.title}
                </Button>
              ))}
            </div>
          ) : null}
          {current && url ? <FileViewer key={url} url={url} contentType="application/pdf" fileName={current.fileName} maxWidth={760} /> : null}
        </>
      )}
    </section>
  );
}
