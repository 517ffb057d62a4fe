/**
 * Supervisions of the case (督办): each missed due date, its level (督办 / 挂牌督办), the 督办单
 * issued, and the written answers. The supervised department (or, for the office's own
 * supervision, a clerk or director) answers here: POST …/supervisions/{id}/answer.
 */
import { useState, type FormEvent } from 'react';
import type { SupervisionView } from '@shared/app/oversight';
import type { CaseView } from '@shared/app/views';
import { Button, Checkbox, ErrorBanner, Notice, TextArea } from '../../components/ui';
import { api, ApiError, casePath } from '../../lib/api';
import type { Actor } from '../../lib/auth';
import { chineseDate, dateTime } from '../../lib/format';
import { useDraft } from '../../lib/hooks';
import { useLabels } from '../../lib/vocab';

export function mayAnswer(s: SupervisionView, user: Actor): boolean {
  if (s.status !== 'open') return false;
  return s.deptCode ? user.roles.includes('department') && user.deptCode === s.deptCode : user.roles.some((r) => r === 'director' || r === 'clerk');
}

function AnswerForm({ c, s, onAnswered }: { c: CaseView; s: SupervisionView; onAnswered: (s: SupervisionView) => void }) {
  const [draft, setDraft, clear] = useDraft(`supervision.${c.caseNo}.${s.supervisionId}`, { text: '', documentIds: [] as string[] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const attachable = c.documents.filter((d) => d.status === 'verified' && (d.kind === 'response' || d.kind === 'attachment'));
  const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
  const textError = fieldErrors['body.text'] ?? fieldErrors.text;
  const docError = Object.entries(fieldErrors).find(([k]) => k.startsWith('body.documentIds') || k.startsWith('documentIds'))?.[1];

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (draft.text.trim() === '') {
      setError(new ApiError(400, 'VALIDATION', '请填写督办答复内容', [{ field: 'text', reason: 'must not be empty' }]));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await api.post<SupervisionView>(casePath(c.caseNo, 'supervisions', s.supervisionId, 'answer'), {
        text: draft.text,
        documentIds: draft.documentIds,
      });
      clear();
      onAnswered(data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={`答复督办 ${s.supervisionId}`} noValidate>
      <ErrorBanner error={error} />
      <TextArea
        label="督办答复内容"
        required
        value={draft.text}
        onChange={(e) => setDraft((d) => ({ ...d, text: e.target.value }))}
        error={textError}
        rows={4}
        maxLength={5000}
        hint="说明办理进展、逾期原因和预计办结时间（不超过5000字）"
      />
      {attachable.length > 0 ? (
        <fieldset className="field" style={{ border: 'none', padding: 0 }}>
          <legend className="hint">附上本案已上传的材料（可选）</legend>
          {attachable.map((d) => (
            <Checkbox
              key={d.documentId}
              label={d.fileName}
              checked={draft.documentIds.includes(d.documentId)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setDraft((x) => ({ ...x, documentIds: on ? [...x.documentIds, d.documentId] : x.documentIds.filter((id) => id !== d.documentId) }));
              }}
            />
          ))}
          {docError ? (
            <div className="field-error" role="alert">
              {docError}
            </div>
          ) : null}
        </fieldset>
      ) : null}
      <Button type="submit" variant="primary" busy={busy}>
        提交督办答复
      </Button>
    </form>
  );
}

export function Supervisions({ c, items, user, onChange }: { c: CaseView; items: SupervisionView[]; user: Actor; onChange: () => void }) {
  const L = useLabels();
  const [answered, setAnswered] = useState<string | undefined>();
  const [more, setMore] = useState<string | undefined>();
  const sorted = [...items].sort((a, b) => Number(a.status === 'resolved') - Number(b.status === 'resolved') || b.openedOn.localeCompare(a.openedOn));
  return (
    <div>
      {answered ? <Notice kind="success">{answered}</Notice> : null}
      {sorted.map((s) => (
        <div className="supervision" key={s.supervisionId} data-supervision-id={s.supervisionId}>
          <div className="supervision-head">
            <span className={`level level-${s.level}`}>{s.levelLabel}</span>
            <strong>{L.clock(s.kind)}</strong>
            <span className="muted">{chineseDate(s.due)}届满未办结</span>
            <span className="muted">
              · {chineseDate(s.openedOn)}起督办{s.flaggedOn && s.flaggedOn !== s.openedOn ? `，${chineseDate(s.flaggedOn)}挂牌` : ''}
            </span>
            {s.status === 'resolved' ? (
              <span className="badge badge-closed">已解除{s.resolvedOn ? `（${chineseDate(s.resolvedOn)}）` : ''}</span>
            ) : s.unanswered ? (
              <span className="days days-overdue">待书面答复</span>
            ) : (
              <span className="badge badge-replied">已答复</span>
            )}
          </div>
          {s.letters.length > 0 ? (
            <div className="hint">督办单：{s.letters.map((l) => `${l.documentNo ?? '（无文号）'}（${chineseDate(l.issuedOn)}）`).join('、')}</div>
          ) : null}
          {s.resolution ? <div className="hint">解除原因：{s.resolution}</div> : null}
          {s.answers.length > 0 ? (
            <ul className="answers" aria-label="督办答复">
              {s.answers.map((a) => (
                <li key={a.at}>
                  <div className="meta">
                    {dateTime(a.at)} · {a.byName ?? a.by}
                    {a.deptCode ? `（${L.department(a.deptCode)}）` : ''} · 答复{a.level === 'flagged' ? '挂牌督办' : '督办'}
                    {a.documentIds.length > 0 ? ` · 附材料 ${a.documentIds.length} 份` : ''}
                  </div>
                  <p>{a.text}</p>
                </li>
              ))}
            </ul>
          ) : null}
          {mayAnswer(s, user) && (s.unanswered || more === s.supervisionId) ? (
            <AnswerForm
              c={c}
              s={s}
              onAnswered={() => {
                setAnswered('督办答复已提交');
                setMore(undefined);
                onChange();
              }}
            />
          ) : mayAnswer(s, user) ? (
            <div style={{ marginTop: 8 }}>
              <Button onClick={() => setMore(s.supervisionId)}>补充答复</Button>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
