/**
 * 办理: the lifecycle actions this user may take on the case now (CaseView.actions, computed by the
 * server), one button each; a button opens the action's form with exactly the inputs the action
 * takes (actions/specs.ts). The form sends `POST /cases/{caseNo}/{action}` with the version read
 * as If-Match, shows each field issue next to its field, keeps what was typed (in sessionStorage)
 * when a request fails, and on a conflict offers to reload the case. Actions that issue a letter
 * have a 预览文书 button showing the letter before it is issued.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Action } from '@shared/domain/actions';
import type { CaseView } from '@shared/app/views';
import { Button, Checkbox, ErrorBanner, Select, TextArea, TextInput } from '../../components/ui';
import { api, ApiError, casePath } from '../../lib/api';
import { chineseDate, dateTime } from '../../lib/format';
import { useDraft } from '../../lib/hooks';
import { useLabels, useVocab } from '../../lib/vocab';
import { ACTION_SPECS, fieldOfIssue, initialValues, toBody, visibleFields, type FieldSpec, type Values } from './actions/specs';
import { fetchPreview, LetterPreviewPanel, previewErrorText, type PreviewState } from './actions/LetterPreview';
import { todayInBeijing } from '../../lib/format';
import './actions/actions.css';
import { usePeople } from '../../lib/people';

interface Props {
  caseView: CaseView;
  /** An action succeeded (`message`: what to tell the user; the case page shows it, as this form may be gone), or the case was reloaded. */
  onDone: (updated: CaseView, message?: string) => void;
  /** A form was opened: the last success message is no longer news. */
  onStart?: () => void;
}

/** The order the buttons appear in: the expected next step first, then the rest. */
const PRIMARY: Action[] = [
  'propose',
  'approve-proposal',
  'assign',
  'answer',
  'approve-reply',
  'extend',
  'deliver',
  'request-review',
  'review-opinion',
  'request-rereview',
  'rereview-opinion',
  'close',
];

export default function ActionForms({ caseView, onDone, onStart }: Props) {
  const L = useLabels();
  const [open, setOpen] = useState<Action | undefined>(() => (caseView.actions.length === 1 ? caseView.actions[0] : undefined));
  const actions = [...caseView.actions].sort((a, b) => rank(a) - rank(b));
  const current = open && caseView.actions.includes(open) ? open : undefined;

  return (
    <div className="action-forms">
      <div className="action-buttons" role="group" aria-label="可办理的操作">
        {actions.map((a) => (
          <Button
            key={a}
            data-action={a}
            variant={a === current ? 'primary' : 'default'}
            aria-pressed={a === current}
            aria-controls={a === current ? 'action-form' : undefined}
            onClick={() => {
              // Always opens (a second click does not close it: 取消 does).
              onStart?.();
              setOpen(a);
            }}
          >
            {L.action(a)}
          </Button>
        ))}
      </div>
      {current ? (
        <ActionForm
          key={`${caseView.caseNo}:${current}`}
          action={current}
          caseView={caseView}
          onCancel={() => setOpen(undefined)}
          onDone={(updated) => {
            setOpen(undefined);
            onDone(updated, `已${L.action(current)}。案件状态：${updated.statusLabel}`);
          }}
          onReloaded={onDone}
        />
      ) : null}
    </div>
  );
}

function rank(a: Action): number {
  const i = PRIMARY.indexOf(a);
  return i === -1 ? PRIMARY.length : i;
}

interface FormProps {
  action: Action;
  caseView: CaseView;
  onCancel: () => void;
  onDone: (updated: CaseView) => void;
  onReloaded: (fresh: CaseView) => void;
}

function ActionForm({ action, caseView: c, onCancel, onDone, onReloaded }: FormProps) {
  const L = useLabels();
  const vocab = useVocab();
  const spec = ACTION_SPECS[action];
  const [values, setValues, clearDraft] = useDraft<Values>(`action.${c.caseNo}.${action}`, initialValues(action, c, todayInBeijing()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<PreviewState | undefined>();
  const [previewError, setPreviewError] = useState<string | undefined>();
  const [previewing, setPreviewing] = useState(false);
  const [reloading, setReloading] = useState(false);
  const firstField = useRef<HTMLDivElement>(null);

  useEffect(() => {
    firstField.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  const fields = visibleFields(action, values, c);
  const issuesLetter = spec.letter?.(values) ?? false;
  const label = L.action(action);

  const set = (name: string, value: string): void => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => (e[name] ? { ...e, [name]: '' } : e));
    // What was previewed no longer matches what is typed.
    setPreview(undefined);
  };

  /** Required fields left empty: caught here, with the same message as the API's. */
  const missing = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const f of fields) if (f.required && f.kind !== 'checkbox' && (values[f.name] ?? '').trim() === '') out[f.name] = '必填';
    return out;
  };

  const showFailure = (err: unknown): void => {
    if (err instanceof ApiError) {
      const byField: Record<string, string> = {};
      for (const [field, message] of Object.entries(err.fieldErrors())) byField[fieldOfIssue(action, field)] = message;
      setErrors(byField);
    }
    setError(err);
  };

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    const empty = missing();
    if (Object.keys(empty).length > 0) {
      setErrors(empty);
      setError(
        new ApiError(
          400,
          'VALIDATION',
          '请填写标红的必填栏目',
          Object.keys(empty).map((field) => ({ field, reason: 'Required' })),
        ),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      const r = await api.post<CaseView>(casePath(c.caseNo, action), toBody(action, values, c), { ifMatch: c.version });
      clearDraft();
      onDone(r.data);
    } catch (err) {
      showFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const showPreview = async (): Promise<void> => {
    const empty = missing();
    if (Object.keys(empty).length > 0) {
      setErrors(empty);
      setPreviewError('请先填写标红的必填栏目，再预览文书。');
      return;
    }
    setPreviewing(true);
    setPreviewError(undefined);
    try {
      setPreview(await fetchPreview(c.caseNo, c.version, action, toBody(action, values, c)));
    } catch (err) {
      setPreview(undefined);
      if (err instanceof ApiError && err.issues.length > 0) {
        const byField: Record<string, string> = {};
        for (const [field, message] of Object.entries(err.fieldErrors())) byField[fieldOfIssue(action, field)] = message;
        setErrors(byField);
      }
      setPreviewError(previewErrorText(err));
    } finally {
      setPreviewing(false);
    }
  };

  const reload = async (): Promise<void> => {
    setReloading(true);
    try {
      const r = await api.get<CaseView>(casePath(c.caseNo));
      setError(undefined);
      onReloaded(r.data);
    } catch (err) {
      setError(err);
    } finally {
      setReloading(false);
    }
  };

  const conflict = error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'ILLEGAL_TRANSITION' || error.code === 'PRECONDITION_REQUIRED');
  const known = new Set(fields.map((f) => f.name));
  const stray = Object.entries(errors).filter(([k, m]) => m && !known.has(k));

  return (
    <form id="action-form" className="action-form" noValidate onSubmit={(e) => void submit(e)} aria-label={`${label}表单`} data-action-form={action}>
      <h3>{label}</h3>
      <Context action={action} c={c} />
      {conflict ? (
        <div className="banner banner-error" role="alert">
          <strong>{error.code === 'CONFLICT' ? '案件已被他人更新，当前页面显示的不是最新情况。' : error.message}</strong>
          <span className="banner-sub">您填写的内容已保留，重新加载后可核对再提交。</span>
          <div className="row" style={{ marginTop: 8 }}>
            <Button onClick={() => void reload()} busy={reloading}>
              重新加载案件
            </Button>
          </div>
        </div>
      ) : error instanceof ApiError && error.status === 400 && error.issues.length > 0 ? (
        <div className="banner banner-error" role="alert">
          <strong>提交的内容有误，请按标红栏目下的提示修改后再提交。</strong>
          <span className="banner-sub">（已填写的内容仍保留）</span>
        </div>
      ) : (
        <ErrorBanner error={error} />
      )}
      {stray.length > 0 ? (
        <ul className="stray-issues" role="alert">
          {stray.map(([k, m]) => (
            <li key={k}>
              {k}：{m}
            </li>
          ))}
        </ul>
      ) : null}
      <div ref={firstField} className="action-fields">
        {fields.map((f) => (
          <FieldControl
            key={f.name}
            f={f}
            value={values[f.name] ?? ''}
            error={errors[f.name]}
            onChange={(v) => set(f.name, v)}
            options={f.options?.(vocab, c) ?? []}
          />
        ))}
      </div>
      {spec.note ? <p className="hint">{spec.note}</p> : null}
      {previewError ? (
        <div className="banner banner-warn" role="alert">
          {previewError}
        </div>
      ) : null}
      {preview ? <LetterPreviewPanel preview={preview} onClose={() => setPreview(undefined)} /> : null}
      <div className="form-actions">
        {issuesLetter ? (
          <Button onClick={() => void showPreview()} busy={previewing} data-testid="preview-letter">
            预览文书
          </Button>
        ) : null}
        <Button type="submit" variant="primary" busy={busy} data-testid="confirm-action">
          确认
        </Button>
        <Button variant="link" onClick={onCancel}>
          取消
        </Button>
        {issuesLetter ? <span className="hint">确认后即出具文书并编定文号</span> : null}
      </div>
    </form>
  );
}

function FieldControl({
  f,
  value,
  error,
  onChange,
  options,
}: {
  f: FieldSpec;
  value: string;
  error?: string;
  onChange: (v: string) => void;
  options: { code: string; name: string }[];
}) {
  const common = { label: f.label, error: error || undefined, hint: f.hint, required: f.required, name: f.name };
  switch (f.kind) {
    case 'textarea':
      return <TextArea {...common} rows={f.rows ?? 3} maxLength={f.maxLength} value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'select':
      return <Select {...common} options={options} placeholder={f.placeholder} value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'number':
      return (
        <TextInput {...common} type="number" inputMode="numeric" min={f.min} max={f.max} step={1} value={value} onChange={(e) => onChange(e.target.value)} />
      );
    case 'date':
      return <TextInput {...common} type="date" value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'checkbox':
      return (
        <div className="field">
          <Checkbox label={f.label} name={f.name} checked={value === 'true'} onChange={(e) => onChange(e.target.checked ? 'true' : '')} />
          {f.hint ? <div className="hint">{f.hint}</div> : null}
        </div>
      );
    default:
      return <TextInput {...common} type="text" maxLength={f.maxLength} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** What the action decides on: the proposal, the extension request, the answer, the last return. */
function Context({ action, c }: { action: Action; c: CaseView }) {
  const L = useLabels();
  const person = usePeople();
  const items: [string, ReactNode][] = [];
  const stamp = (s: { by: string; at: string }) => `${person(s.by)}，${dateTime(s.at)}`;
  if ((action === 'approve-proposal' || action === 'accept' || action === 'decline' || action === 'transfer') && c.proposal) {
    const p = c.proposal;
    const what =
      p.action === 'accept'
        ? `受理${p.deptCode ? `，交${L.department(p.deptCode)}办理` : ''}`
        : p.action === 'decline'
          ? `不予受理（${L.route(p.route)}）`
          : `转送${p.transferTo ?? ''}`;
    items.push(['拟办意见', what], ['拟办理由', p.reason], ['拟办人', stamp(p)]);
  }
  if ((action === 'extend' || action === 'request-extension') && c.extensionRequest) {
    const e = c.extensionRequest;
    items.push(['延期申请', `${e.days}天：${e.reason}`], ['申请人', stamp(e)]);
  }
  if (action === 'extend' || action === 'request-extension') {
    if (c.clocks.handling) items.push(['现办理期限', chineseDate(c.clocks.handling.due)]);
  }
  if ((action === 'approve-reply' || action === 'return') && c.answer) {
    const a = c.answer;
    items.push(
      ['信访人诉求', a.request],
      ['调查核实的事实', a.facts],
      ['处理意见', a.decision],
      ['处理结论', L.outcome(a.outcome)],
      ['法律依据', a.legalBasis],
    );
    if (a.note) items.push(['备注', a.note]);
    items.push(['答复单位', `${L.department(c.deptCode)}（${stamp(a)}）`]);
  }
  if (action === 'answer' && c.returns.length > 0) {
    const r = c.returns[c.returns.length - 1]!;
    items.push(['退回意见', r.comment], ['退回人', stamp(r)]);
  }
  if ((action === 'review-opinion' || action === 'request-rereview') && c.review)
    items.push(['复查申请', `${chineseDate(c.review.requestedOn)}${c.review.organ ? `，${c.review.organ}` : ''}`]);
  if (action === 'rereview-opinion' && c.rereview)
    items.push(['复核申请', `${chineseDate(c.rereview.requestedOn)}${c.rereview.organ ? `，${c.rereview.organ}` : ''}`]);
  if (items.length === 0) return null;
  return (
    <dl className="facts action-context">
      {items.map(([k, v]) => (
        <div key={k} className="facts-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
