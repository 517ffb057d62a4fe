/**
 * 信函模板 (#/admin, admin): the wording of the nine letters (GET /admin/templates). For each:
 * whether the office changed it, its version, who changed it and when. The editor lists the
 * placeholders the letter may use (those the law requires marked), checks the wording as it is
 * typed (the API's rules, in Chinese), shows the PDF the wording would print on a sample case
 * (POST /admin/templates/{type}/preview) before saving, saves it over the version read
 * (If-Match) and restores the default. Every change is in the office audit trail (操作记录).
 * The admin reads no case content (DESIGN §1): the preview prints a sample case.
 */
import { useRef, useState } from 'react';
import type { TemplateView } from '@shared/app/letters';
import { api, ApiError } from '../lib/api';
import { dateTime } from '../lib/format';
import { useLoad } from '../lib/hooks';
import type { PageProps } from '../lib/page';
import { Button, Card, ErrorBanner, Loading, Notice, Page, Table } from '../components/ui';
import { FileViewer } from '../components/FileViewer';
import { usePeople } from '../lib/people';
import { toBlob, useBlobUrl } from './case/actions/LetterPreview';
import { PLACEHOLDER_LABELS, templateProblems, usedPlaceholders } from './admin/template-check';

interface Preview {
  title: string;
  pages: number;
  blob: Blob;
}

export default function Admin(_props: PageProps) {
  const person = usePeople();
  const list = useLoad((signal) => api.get<{ templates: TemplateView[] }>('/admin/templates', { signal }).then((r) => r.data), []);
  const [editing, setEditing] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const current = list.data?.templates.find((t) => t.type === editing);
  return (
    <Page title="信函模板">
      <p className="archive-help">
        系统管理员负责本机关的配置，不查看案件内容。此处修改各类文书的措辞：占位符（如 {'{{caseNo}}'}
        ）在出具时填入案件的内容；法规要求文书载明的内容不能删去。保存后，此后出具的文书在 1 分钟内使用新措辞，已出具的文书不变；每次修改记入操作记录。
      </p>
      {done ? <Notice kind="success">{done}</Notice> : null}
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <Card title="信函模板">
          <Table head={['信函', '措辞', '版本', '修改人', '修改时间', '操作']}>
            {list.data.templates.map((t) => (
              <tr key={t.type}>
                <td>{t.title}</td>
                <td>{t.override ? '本机关修改' : '默认'}</td>
                <td>{t.version === 0 ? '—' : `第 ${t.version} 版`}</td>
                <td>{t.override ? person(t.override.updatedBy) : '—'}</td>
                <td>{t.override ? dateTime(t.override.updatedAt) : '—'}</td>
                <td>
                  <Button
                    variant="link"
                    aria-label={`编辑${t.title}`}
                    onClick={() => {
                      setDone(undefined);
                      setEditing(t.type);
                    }}
                  >
                    编辑
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      ) : null}
      {current ? (
        <TemplateEditor
          key={`${current.type}-${current.version}`}
          view={current}
          onClose={() => setEditing(undefined)}
          onSaved={(message) => {
            setDone(message);
            setEditing(undefined);
            list.reload();
          }}
        />
      ) : null}
    </Page>
  );
}

function TemplateEditor({ view, onClose, onSaved }: { view: TemplateView; onClose: () => void; onSaved: (message: string) => void }) {
  const [text, setText] = useState(view.text);
  const [preview, setPreview] = useState<Preview | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'preview' | 'save' | 'restore' | undefined>();
  const area = useRef<HTMLTextAreaElement>(null);
  const problems = templateProblems(text, view.placeholders, view.required);
  const used = usedPlaceholders(text);
  const url = useBlobUrl(preview?.blob);

  async function run(what: 'preview' | 'save' | 'restore', call: () => Promise<void>) {
    setError(undefined);
    setBusy(what);
    try {
      await call();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  }

  const insert = (name: string) => {
    const el = area.current;
    const token = `{{${name}}}`;
    const at = el?.selectionStart ?? text.length;
    setText(text.slice(0, at) + token + text.slice(el?.selectionEnd ?? at));
    setPreview(undefined);
  };

  return (
    <Card title={`编辑：${view.title}`}>
      <div className="template-editor">
        <div>
          <label htmlFor="template-text">措辞（每行一段；当前{view.override ? `为本机关第 ${view.version} 版` : '为默认措辞'}）</label>
          <textarea
            id="template-text"
            ref={area}
            rows={14}
            value={text}
            aria-invalid={problems.length > 0 || undefined}
            aria-describedby="template-problems"
            onChange={(e) => {
              setText(e.target.value);
              setPreview(undefined);
            }}
          />
          <div id="template-problems" role="alert">
            {problems.map((p) => (
              <div key={p} className="field-error">
                {p}
              </div>
            ))}
            {error instanceof ApiError && error.issues.length > 0
              ? error.issues.map((i) => (
                  <div key={i.reason} className="field-error">
                    {i.reason}
                  </div>
                ))
              : null}
          </div>
        </div>
        <aside aria-label="可用占位符">
          <strong>可用占位符</strong>（点击插入到光标处）
          <ul className="plain-list">
            {view.placeholders.map((p) => (
              <li key={p}>
                <Button variant="link" onClick={() => insert(p)}>{`{{${p}}}`}</Button> {PLACEHOLDER_LABELS[p] ?? p}
                {view.required.includes(p) ? <strong className={used.includes(p) ? undefined : 'field-error'}>（必须保留）</strong> : null}
              </li>
            ))}
          </ul>
        </aside>
      </div>
      {error && !(error instanceof ApiError && error.issues.length > 0) ? <ErrorBanner error={error} /> : null}
      <div className="form-actions">
        <Button
          busy={busy === 'preview'}
          disabled={problems.length > 0}
          onClick={() =>
            void run('preview', async () => {
              const r = await api.post<{ title: string; pages: number; pdfBase64: string }>(`/admin/templates/${view.type}/preview`, { text });
              setPreview({ title: r.data.title, pages: r.data.pages, blob: toBlob(r.data.pdfBase64) });
            })
          }
        >
          预览PDF
        </Button>
        <Button
          variant="primary"
          busy={busy === 'save'}
          disabled={problems.length > 0 || text.trim() === view.text}
          onClick={() =>
            void run('save', async () => {
              const r = await api.put<TemplateView>(`/admin/templates/${view.type}`, { text }, { ifMatch: view.version });
              onSaved(`已保存《${view.title}》第 ${r.data.version} 版：此后出具的文书使用新措辞（已记入操作记录）`);
            })
          }
        >
          保存
        </Button>
        {view.override ? (
          <Button
            variant="danger"
            busy={busy === 'restore'}
            onClick={() => {
              if (!window.confirm(`将《${view.title}》恢复为默认措辞？本机关的修改（第 ${view.version} 版）将不再使用。`)) return;
              void run('restore', async () => {
                await api.delete(`/admin/templates/${view.type}`, { ifMatch: view.version });
                onSaved(`已将《${view.title}》恢复为默认措辞（已记入操作记录）`);
              });
            }}
          >
            恢复默认措辞
          </Button>
        ) : null}
        <Button variant="link" onClick={onClose}>
          取消
        </Button>
      </div>
      {preview && url ? (
        <section aria-label="模板预览" data-testid="template-preview">
          <p className="muted">
            预览：{preview.title}，共 {preview.pages} 页（示例案件，文号处印“〔预览〕”；尚未保存）
          </p>
          <FileViewer key={url} url={url} contentType="application/pdf" fileName={`${preview.title}（预览）.pdf`} maxWidth={760} />
        </section>
      ) : null}
    </Card>
  );
}
