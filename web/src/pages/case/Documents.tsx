/**
 * The case's documents (材料): scans, attachments, response documents and the letters issued.
 * “查看” shows a document in the page (FileViewer) — a scan with its machine reading beside it
 * (OcrText) — “下载” saves it; both ask the API for a short-lived link, and every link handed out
 * is recorded in the audit trail. The handling
 * department uploads its response documents here (上传承办材料); a clerk adds scans or material.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { UploadLink } from '@shared/app/registry';
import type { CaseView, DocumentView } from '@shared/app/views';
import { mayRequestUpload } from '@shared/domain/upload-rules';
import { FileDrop, type FileUploadState } from '../../components/FileDrop';
import { FileViewer } from '../../components/FileViewer';
import { Button, ErrorBanner, Notice, Select, Table } from '../../components/ui';
import { api, ApiError, casePath } from '../../lib/api';
import type { Actor } from '../../lib/auth';
import { dateTime, fileSize } from '../../lib/format';
import { UPLOAD_CONTENT_TYPES, uploadAll, uploadRequestOf } from '../../lib/uploads';
import { useLabels, useVocab } from '../../lib/vocab';
import { isScan, OcrText } from './OcrText';

interface DownloadLink {
  url: string;
  fileName: string;
  contentType: string;
}

function fetchLink(caseNo: string, documentId: string): Promise<DownloadLink> {
  return api.get<DownloadLink>(casePath(caseNo, 'documents', documentId, 'download')).then((r) => r.data);
}

const STATUS_TEXT: Record<DocumentView['status'], string> = {
  pending: '待校验',
  verified: '已校验',
  quarantined: '已隔离',
  rejected: '已拒绝的上传',
  expired: '上传已过期',
};

export function DocumentStatus({ doc }: { doc: DocumentView }) {
  return (
    <>
      <span className={`doc-status doc-status-${doc.status}`}>
        {doc.status === 'pending' ? <span className="spinner" aria-hidden="true" style={{ width: 10, height: 10, marginRight: 4 }} /> : null}
        {STATUS_TEXT[doc.status]}
      </span>
      {doc.status === 'quarantined' && doc.quarantineReason ? <span className="doc-reason">{doc.quarantineReason}</span> : null}
      {(doc.status === 'rejected' || doc.status === 'expired') && doc.rejectionReason ? <span className="doc-reason">{doc.rejectionReason}</span> : null}
    </>
  );
}

/**
 * A modal dialog showing one document (Escape or “关闭” closes it); a scan with its machine
 * reading beside it (OcrText).
 */
function Viewer({ link, onClose, ocr }: { link: DownloadLink; onClose: () => void; ocr?: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // No close() on cleanup: the element leaves the top layer when it is removed, and a close()
    // here would fire `close` (and onClose) on React's development double mount.
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="viewer-dialog" onClose={onClose} aria-label={`查看 ${link.fileName}`}>
      <div className="viewer-inner">
        <div className="viewer-bar">
          <strong>{link.fileName}</strong>
          <a className="btn" href={link.url} download={link.fileName}>
            下载
          </a>
          <Button onClick={onClose} autoFocus>
            关闭
          </Button>
        </div>
        <div className={ocr ? 'viewer-split' : 'viewer-split viewer-split-single'}>
          <div className="viewer-body">
            <FileViewer url={link.url} contentType={link.contentType} fileName={link.fileName} />
          </div>
          {ocr ? <div className="viewer-side">{ocr}</div> : null}
        </div>
      </div>
    </dialog>
  );
}

/**
 * `onAudited`: a link or a reading was handed out (and recorded in the timeline); `onCaseChanged`:
 * the case was written (the clerk took a reading into the full text).
 */
export function Documents({ c, user, onAudited, onCaseChanged }: { c: CaseView; user?: Actor; onAudited?: () => void; onCaseChanged?: () => void }) {
  const L = useLabels();
  const [viewing, setViewing] = useState<(DownloadLink & { doc: DocumentView }) | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();

  async function open(doc: DocumentView, mode: 'view' | 'download'): Promise<void> {
    setBusy(`${mode}:${doc.documentId}`);
    setError(undefined);
    try {
      const link = await fetchLink(c.caseNo, doc.documentId);
      onAudited?.();
      if (mode === 'view') setViewing({ ...link, doc });
      else {
        const a = document.createElement('a');
        a.href = link.url;
        a.download = link.fileName;
        a.rel = 'noopener';
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  }

  const kindOf = (d: DocumentView): string => (d.kind === 'generated' && d.letterKind ? L.letterType(d.letterKind) : L.documentKind(d.kind));
  const docs = [...c.documents].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  return (
    <>
      <ErrorBanner error={error} />
      {docs.length === 0 ? (
        <p className="muted">暂无材料。</p>
      ) : (
        <div className="doc-table">
          <Table head={['类型', '文件名', '文号', '状态', '时间', '操作']}>
            {docs.map((d) => (
              <tr key={d.documentId} data-document-id={d.documentId}>
                <td className="nowrap">{kindOf(d)}</td>
                <td className="doc-name">
                  {d.fileName}
                  <span className="doc-meta">{[d.pages ? `${d.pages} 页` : '', fileSize(d.size)].filter(Boolean).join(' · ')}</span>
                </td>
                <td className="nowrap">{d.documentNo ?? <span className="muted">—</span>}</td>
                <td>
                  <DocumentStatus doc={d} />
                </td>
                <td className="doc-time">{dateTime(d.createdAt)}</td>
                <td>
                  {d.status === 'verified' ? (
                    <span className="doc-actions">
                      <Button onClick={() => void open(d, 'view')} busy={busy === `view:${d.documentId}`} aria-label={`查看 ${d.fileName}`}>
                        查看
                      </Button>
                      <Button onClick={() => void open(d, 'download')} busy={busy === `download:${d.documentId}`} aria-label={`下载 ${d.fileName}`}>
                        下载
                      </Button>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      {viewing ? (
        <Viewer
          link={viewing}
          onClose={() => setViewing(undefined)}
          ocr={
            isScan(viewing.doc) ? (
              <OcrText c={c} documentId={viewing.doc.documentId} user={user} onAudited={onAudited} onCaseChanged={onCaseChanged} />
            ) : undefined
          }
        />
      ) : null}
    </>
  );
}

/** Who may upload what to this case now (the API's rule: registry.createUpload with mayRequestUpload). */
export function uploadKindsFor(c: CaseView, user: Actor): ('response' | 'letter' | 'attachment')[] {
  if (user.roles.includes('department') && user.deptCode === c.deptCode && mayRequestUpload(c, 'response')) return ['response'];
  if (user.roles.includes('clerk') && mayRequestUpload(c, 'letter')) return ['attachment', 'letter'];
  return [];
}

/**
 * Upload of documents to the case: each file gets a presigned POST (POST /cases/{no}/documents),
 * goes straight to storage with a progress bar, then the case is polled until it is checked.
 */
export function UploadDocuments({ c, user, onUploaded }: { c: CaseView; user: Actor; onUploaded: (documentIds: string[]) => void }) {
  const vocab = useVocab();
  const L = useLabels();
  const kinds = uploadKindsFor(c, user);
  const [kind, setKind] = useState(kinds[0] ?? 'response');
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<(FileUploadState | undefined)[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  if (kinds.length === 0) return null;

  async function upload(): Promise<void> {
    if (files.length === 0) {
      setError(new ApiError(400, 'NO_FILE', '请先选择要上传的文件'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    setProgress(files.map(() => ({ fraction: 0 })));
    const links: UploadLink[] = [];
    const failed: string[] = [];
    for (const [i, f] of files.entries()) {
      try {
        const { data } = await api.post<UploadLink>(casePath(c.caseNo, 'documents'), uploadRequestOf(f, kind));
        links.push(data);
      } catch (e) {
        const msg = e instanceof ApiError ? (Object.values(e.fieldErrors())[0] ?? e.message) : '上传失败';
        failed.push(f.name);
        setProgress((p) => p.map((u, j) => (j === i ? { fraction: 0, error: msg } : u)));
      }
    }
    const ok = files.map((f, i) => ({ f, i })).filter(({ f }) => !failed.includes(f.name));
    const outcomes = await uploadAll(
      links,
      ok.map(({ f }) => f),
      (k, fraction) => {
        const i = ok[k]?.i ?? k;
        setProgress((p) => p.map((u, j) => (j === i ? { fraction, done: fraction >= 1 } : u)));
      },
    );
    for (const o of outcomes) {
      const i = ok[o.fileIndex]?.i ?? o.fileIndex;
      setProgress((p) => p.map((u, j) => (j === i ? (o.ok ? { fraction: 1, done: true } : { fraction: u?.fraction ?? 0, error: o.error }) : u)));
    }
    setBusy(false);
    const uploaded = outcomes.filter((o) => o.ok && o.documentId).map((o) => o.documentId as string);
    if (uploaded.length > 0) {
      onUploaded(uploaded);
      // Keep only what failed, so it can be retried.
      const failedIdx = new Set(files.map((_, i) => i).filter((i) => !outcomes.some((o) => o.ok && (ok[o.fileIndex]?.i ?? o.fileIndex) === i)));
      setFiles(files.filter((_, i) => failedIdx.has(i)));
      setProgress((p) => p.filter((_, i) => failedIdx.has(i)));
      setDone(`已上传 ${uploaded.length} 个文件，正在进行安全校验，校验通过后即可查看。`);
    }
    if (uploaded.length < files.length) setError(new ApiError(0, 'UPLOAD', '部分文件未能上传，请检查后重试'));
  }

  const title = kinds[0] === 'response' ? '上传承办材料' : '上传材料';
  return (
    <div className="upload-box" aria-label={title} role="group">
      <h3>{title}</h3>
      {kinds.length > 1 ? (
        <div style={{ maxWidth: 240 }}>
          <Select
            label="材料类型"
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
            options={kinds.map((k) => ({ code: k, name: L.documentKind(k) }))}
            disabled={busy}
          />
        </div>
      ) : null}
      <FileDrop
        files={files}
        onChange={(next) => {
          setFiles(next);
          setProgress([]);
          setError(undefined);
        }}
        label={kinds[0] === 'response' ? '选择或拖入承办材料' : '选择或拖入材料文件'}
        extensions={Object.keys(UPLOAD_CONTENT_TYPES)}
        maxBytes={vocab.office.maxUploadBytes}
        uploads={progress}
        preview={false}
        disabled={busy}
      />
      <ErrorBanner error={error} />
      {done ? <Notice kind="success">{done}</Notice> : null}
      <div className="row" style={{ marginTop: 8 }}>
        <Button variant="primary" onClick={() => void upload()} busy={busy} disabled={files.length === 0}>
          上传文件
        </Button>
      </div>
    </div>
  );
}
