/**
 * 登记 (#/register): the clerk registers a letter or a visit on one screen.
 *
 * - The petitioners' identity is checked against earlier cases (POST /cases/check) while it is
 *   typed (debounced) and again on save; the warnings (final matter, matter in progress, earlier
 *   cases) must be confirmed before a case with warnings is saved.
 * - Save: POST /cases with an Idempotency-Key kept in the draft (a retry after a failure replays
 *   the same registration instead of creating a second case), then each scan goes straight to
 *   S3 through its presigned POST, with a progress bar per file.
 * - The draft is kept in sessionStorage and its scans in IndexedDB (draft-files.ts): a failed
 *   request, a reload or a sign-in after the session expired loses nothing.
 * - Success: the case number, the query code (shown once), the uploads, 打印回执, 继续登记.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CaseSummary, CaseView, DocumentView } from '@shared/app/views';
import type { RegistrationInput, RegistrationWarning, UploadRequest } from '@shared/domain/case';
import { isPhoneNumber, normaliseIdNumber, validateChineseIdNumber } from '@shared/domain/pii-validation';
import { api, ApiError, casePath, uploadPresignedPost } from '../lib/api';
import { chineseDate, fileSize, newIdempotencyKey, todayInBeijing } from '../lib/format';
import { useDraft } from '../lib/hooks';
import { useDraftFiles } from '../lib/draft-files';
import type { PageProps } from '../lib/page';
import { caseLink, Link } from '../lib/router';
import { useLabels, useVocab, type Vocabulary } from '../lib/vocab';
import { levelApplies, materialsOf, placeAndLevel, placeAndLevelErrors } from '../lib/registration-fields';
import { uploadAll, uploadRequestOf, type UploadLink, type UploadOutcome } from '../lib/uploads';
import { Button, Card, Checkbox, errorMessage, Notice, Page, Select, StatusBadge, TextArea, TextInput } from '../components/ui';
import { FileDrop, type FileUploadState } from '../components/FileDrop';
import { FileViewer } from '../components/FileViewer';
import './register.css';

/** POST /cases answers (shared/app/registry.ts `Registered`). */
interface Registered {
  case: CaseView;
  /** Shown once: the petitioner's query code (查询码). */
  queryCode: string;
  uploads: UploadLink[];
  replayed: boolean;
}

// ---- the draft ------------------------------------------------------------------------------

interface PetitionerDraft {
  name: string;
  idNumber: string;
  phone: string;
  address: string;
}

interface AccusedDraft {
  name: string;
  deptCode: string;
}

interface RegisterDraft {
  /** The Idempotency-Key of this registration: kept across retries, renewed for the next one. */
  key: string;
  petitioners: PetitionerDraft[];
  persons: string;
  representatives: string;
  channel: string;
  fromOrgan: string;
  reference: string;
  deadline: string;
  itemType: string;
  category: string;
  /** 子类: a subcategory code, '' when not chosen (an older saved draft has none). */
  subcategory?: string;
  /** 问题属地: a locality code, '' when not chosen (an older saved draft has none). */
  locality?: string;
  /** 信访层级, for a visit or a referral: '' when not chosen. */
  level?: string;
  accused: AccusedDraft[];
  subject: string;
  summary: string;
  receivedOn: string;
  litigation: boolean;
  arbitration: boolean;
  reconsideration: boolean;
}

const emptyPetitioner = (): PetitionerDraft => ({ name: '', idNumber: '', phone: '', address: '' });

/** Today in Beijing time, YYYY-MM-DD. */
function blankDraft(): RegisterDraft {
  return {
    key: newIdempotencyKey(),
    petitioners: [emptyPetitioner()],
    persons: '1',
    representatives: '',
    channel: 'letter',
    fromOrgan: '',
    reference: '',
    deadline: '',
    itemType: '',
    category: '',
    subcategory: '',
    locality: '',
    level: '',
    accused: [{ name: '', deptCode: '' }],
    subject: '',
    summary: '',
    receivedOn: todayInBeijing(),
    litigation: false,
    arbitration: false,
    reconsideration: false,
  };
}

// ---- client-side checks (mirroring RegistrationSchema, shared/domain/case.ts) -----------------

/** GB 11643: 18 characters, a real birth date, the check character (the server's own rule). */
function validIdNumber(raw: string): boolean {
  return validateChineseIdNumber(raw);
}

function validPhone(raw: string): boolean {
  return isPhoneNumber(raw.normalize('NFKC'));
}

function splitNames(s: string): string[] {
  return s
    .split(/[，,、；;\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

type Errors = Record<string, string>;

function validate(d: RegisterDraft, vocab: Vocabulary): Errors {
  const maxRepresentatives = vocab.maxRepresentatives;
  const e: Errors = { ...placeAndLevelErrors(d, vocab) };
  const req = (path: string, v: string, max: number, what = '此项'): void => {
    const t = v.trim();
    if (!t) e[path] = `请填写${what}`;
    else if (t.length > max) e[path] = `不能超过${max}个字符`;
  };
  d.petitioners.forEach((p, i) => {
    req(`petitioners.${i}.name`, p.name, 50, '姓名');
    if (p.idNumber.trim() && !validIdNumber(p.idNumber)) e[`petitioners.${i}.idNumber`] = '身份证号码不正确（18位，请核对出生日期和校验位）';
    if (p.phone.trim() && !validPhone(p.phone)) e[`petitioners.${i}.phone`] = '电话号码格式不正确：手机号11位，固定电话请带区号（如 0871-65123456）';
    if (p.address.trim().length > 200) e[`petitioners.${i}.address`] = '不能超过200个字符';
  });
  const persons = Number(d.persons);
  if (!d.persons.trim() || !Number.isInteger(persons) || persons < 1) e.persons = '请填写人数（正整数）';
  else if (persons > 100_000) e.persons = '人数过大';
  else if (persons < d.petitioners.length) e.persons = '人数不能少于已填写的信访人数';
  const reps = splitNames(d.representatives);
  if (reps.length > maxRepresentatives) e.representatives = `代表人不超过${maxRepresentatives}人（《信访工作条例》第二十条）`;
  else if (reps.some((r) => r.length > 50)) e.representatives = '每位代表人姓名不超过50个字符';
  if (!d.channel) e['channel.type'] = '请选择信访形式';
  if (d.channel === 'referral') {
    req('channel.fromOrgan', d.fromOrgan, 100, '交办机关');
    req('channel.reference', d.reference, 100, '交办文号');
  }
  if (!d.itemType) e.itemType = '请选择事项类型';
  else if (d.category === 'accusation' && d.itemType !== 'accusation') e.itemType = '纪检监察（检举控告）类别的事项应为检举控告类';
  if (!d.category) e.category = '请选择问题类别';
  if (d.itemType === 'accusation') {
    if (!d.accused.some((a) => a.name.trim())) e['accusedUnits.0.name'] = '检举控告类须填写被反映单位';
    d.accused.forEach((a, i) => {
      if (a.name.trim().length > 100) e[`accusedUnits.${i}.name`] = '不能超过100个字符';
    });
  }
  req('subject', d.subject, 100, '事由');
  req('summary', d.summary, 2000, '主要诉求及内容摘要');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.receivedOn)) e.receivedOn = '请填写收到日期';
  else if (d.receivedOn > todayInBeijing()) e.receivedOn = '收到日期不能晚于今天';
  return e;
}

/** The draft as the API takes it (RegistrationSchema). */
function toRegistration(d: RegisterDraft, files: File[], vocab: Vocabulary): RegistrationInput {
  const clean = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
  return {
    petitioners: d.petitioners.map((p) => ({ name: p.name.trim(), idNumber: clean(p.idNumber), phone: clean(p.phone), address: clean(p.address) })),
    persons: Number(d.persons),
    representatives: splitNames(d.representatives),
    channel:
      d.channel === 'referral'
        ? { type: 'referral', fromOrgan: d.fromOrgan.trim(), reference: d.reference.trim(), deadline: clean(d.deadline) }
        : ({ type: d.channel } as RegistrationInput['channel']),
    itemType: d.itemType as RegistrationInput['itemType'],
    category: d.category,
    ...placeAndLevel(d, vocab),
    ...(d.subcategory ? { subcategory: d.subcategory } : {}),
    accusedUnits: d.itemType === 'accusation' ? d.accused.filter((a) => a.name.trim()).map((a) => ({ name: a.name.trim(), deptCode: clean(a.deptCode) })) : [],
    subject: d.subject.trim(),
    summary: d.summary.trim(),
    receivedOn: d.receivedOn,
    statutoryRoute: { litigation: d.litigation, arbitration: d.arbitration, reconsideration: d.reconsideration },
    uploads: files.map((f): UploadRequest => uploadRequestOf(f, 'letter')),
  };
}

/**
 * What the live check sends while the clerk types: the petitioners whose identity can be looked
 * up (a valid ID number, or a name with a valid phone), inside an otherwise neutral draft (the
 * check validates a whole registration but only the petitioners decide the warnings).
 */
function lookupDraft(d: RegisterDraft, category: string | undefined): RegistrationInput | undefined {
  const petitioners = d.petitioners
    .map((p) => {
      const idNumber = p.idNumber.trim() && validIdNumber(p.idNumber) ? normaliseIdNumber(p.idNumber) : undefined;
      const phone = p.phone.trim() && validPhone(p.phone) ? p.phone.trim() : undefined;
      const name = p.name.trim().slice(0, 50);
      if (!idNumber && !(name && phone)) return undefined;
      return { name: name || '（未填）', idNumber, phone };
    })
    .filter((p): p is NonNullable<typeof p> => p !== undefined);
  if (petitioners.length === 0 || !category) return undefined;
  const today = todayInBeijing();
  return {
    petitioners,
    persons: petitioners.length,
    channel: { type: 'letter' },
    itemType: 'suggestion',
    category,
    subject: '登记前查重',
    summary: '登记前查重',
    receivedOn: today,
  };
}

// ---- warnings -------------------------------------------------------------------------------

interface CheckResult {
  warnings: RegistrationWarning[];
  earlier: CaseSummary[];
}

type CheckState = { state: 'idle' } | { state: 'checking' } | { state: 'done'; result: CheckResult } | { state: 'error'; error: unknown };

const WARNING_TITLES: Record<RegistrationWarning['kind'], string> = {
  'final-matter': '已复核终结',
  'matter-in-progress': '正在办理',
  'earlier-cases': '既往信访',
};

/** Identifies a set of warnings: a confirmation holds for exactly the warnings it saw. */
function warningSignature(ws: RegistrationWarning[]): string {
  return ws.map((w) => `${w.kind}:${[...w.caseNos].sort().join(',')}`).join('|');
}

function WarningList({ warnings, earlier }: { warnings: RegistrationWarning[]; earlier: CaseSummary[] }) {
  const byNo = new Map(earlier.map((c) => [c.caseNo, c]));
  return (
    <ul className="reg-warnings">
      {warnings.map((w) => (
        <li key={w.kind} className={`reg-warning reg-warning-${w.kind}`}>
          <div className="reg-warning-title">{WARNING_TITLES[w.kind]}</div>
          <div className="reg-warning-msg">{w.message}</div>
          <ul className="reg-warning-cases">
            {w.caseNos.map((no) => {
              const c = byNo.get(no);
              return (
                <li key={no}>
                  <a href={`#${caseLink(no)}`} target="_blank" rel="noopener noreferrer" title="在新标签页打开（本页填写的内容不受影响）">
                    {no}
                  </a>
                  {c ? (
                    <>
                      {' '}
                      <StatusBadge status={c.status} label={c.statusLabel} />
                      <div className="reg-warning-subject" title={c.subject}>
                        {chineseDate(c.receivedOn)}收到 · {c.subject}
                      </div>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ul>
  );
}

// ---- the page -------------------------------------------------------------------------------

interface Success {
  registered: Registered;
  files: File[];
  outcomes: UploadOutcome[];
}

export default function Register(_props: PageProps) {
  const vocab = useVocab();
  const [draft, setDraft] = useDraft<RegisterDraft>('register', blankDraft());
  const { files, setFiles, restored, kept } = useDraftFiles('register');
  const [uploads, setUploads] = useState<(FileUploadState | undefined)[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  /** The message above the form; `whileErrors`: shown only while some field is still marked. */
  const [banner, setBanner] = useState<{ error?: unknown; text?: string; whileErrors?: boolean }>();
  const [phase, setPhase] = useState<'edit' | 'checking' | 'saving' | 'uploading'>('edit');
  const [check, setCheck] = useState<CheckState>({ state: 'idle' });
  const [confirmedFor, setConfirmedFor] = useState<string>();
  const [success, setSuccess] = useState<Success>();
  const formRef = useRef<HTMLFormElement>(null);
  const warningsRef = useRef<HTMLDivElement>(null);
  const busy = phase !== 'edit';
  const materials = materialsOf(draft.channel);

  const set = <K extends keyof RegisterDraft>(k: K, v: RegisterDraft[K]): void => {
    setDraft((d) => ({ ...d, [k]: v }));
    if (errors[k as string]) setErrors(({ [k as string]: _, ...rest }) => rest);
  };
  const setPetitioner = (i: number, k: keyof PetitionerDraft, v: string): void => {
    setDraft((d) => ({ ...d, petitioners: d.petitioners.map((p, j) => (j === i ? { ...p, [k]: v } : p)) }));
    const path = `petitioners.${i}.${k}`;
    if (errors[path]) setErrors(({ [path]: _, ...rest }) => rest);
  };
  const setAccused = (i: number, k: keyof AccusedDraft, v: string): void => {
    setDraft((d) => ({ ...d, accused: d.accused.map((a, j) => (j === i ? { ...a, [k]: v } : a)) }));
    const path = `accusedUnits.${i}.${k}`;
    if (errors[path]) setErrors(({ [path]: _, ...rest }) => rest);
  };

  // Live check of the petitioners' identity, debounced.
  const lookup = useMemo(() => lookupDraft(draft, vocab.categories.find((c) => !c.retired)?.code), [draft.petitioners, vocab.categories]);
  const lookupKey = lookup ? JSON.stringify(lookup.petitioners) : '';
  useEffect(() => {
    if (!lookup) {
      setCheck({ state: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    const t = window.setTimeout(() => {
      setCheck({ state: 'checking' });
      api.post<CheckResult>('/cases/check', lookup, { signal: ctrl.signal }).then(
        (r) => setCheck({ state: 'done', result: r.data }),
        (e: unknown) => {
          if (!ctrl.signal.aborted) setCheck({ state: 'error', error: e });
        },
      );
    }, 600);
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
  }, [lookupKey]);

  const warnings = check.state === 'done' ? check.result.warnings : [];
  const signature = warningSignature(warnings);
  const confirmed = warnings.length === 0 || confirmedFor === signature;

  // After a failed save, put the cursor on the first field in error.
  const focusFirstError = (): void => {
    window.setTimeout(() => {
      const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (el) el.focus();
    }, 0);
  };

  const applyApiError = (e: unknown): void => {
    if (e instanceof ApiError && e.issues.length > 0) {
      setErrors(e.fieldErrors());
      focusFirstError();
      setBanner({ error: e, text: '登记信息有误' });
      return;
    }
    setBanner({ error: e });
  };

  const save = async (ev?: FormEvent): Promise<void> => {
    ev?.preventDefault();
    if (busy) return;
    setBanner(undefined);
    const local = validate(draft, vocab);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setBanner({ text: '登记信息不完整或有误，请检查标红的栏目', whileErrors: true });
      focusFirstError();
      return;
    }
    setErrors({});
    const body = toRegistration(draft, files, vocab);

    // 1. The warnings for exactly this draft, shown before anything is saved.
    setPhase('checking');
    let result: CheckResult;
    try {
      result = (await api.post<CheckResult>('/cases/check', body)).data;
    } catch (e) {
      setPhase('edit');
      applyApiError(e);
      return;
    }
    setCheck({ state: 'done', result });
    if (result.warnings.length > 0 && confirmedFor !== warningSignature(result.warnings)) {
      setPhase('edit');
      setBanner({ text: '该信访人有既往信访事项：请核对右侧“登记提示”，勾选“已核对上述提示，仍予登记”后再保存' });
      warningsRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      warningsRef.current?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus();
      return;
    }

    // 2. The case, once (the Idempotency-Key makes a retry replay it).
    setPhase('saving');
    let registered: Registered;
    try {
      registered = (await api.post<Registered>('/cases', body, { idempotencyKey: draft.key })).data;
    } catch (e) {
      setPhase('edit');
      if (e instanceof ApiError && e.code === 'IDEMPOTENCY_MISMATCH') {
        // The form changed after a save whose answer was lost: that save may have registered a case.
        setDraft((d) => ({ ...d, key: newIdempotencyKey() }));
        setBanner({ text: '表单在上一次保存请求之后有改动，而上一次请求可能已经登记成功。请先在“案件查询”中核对；确认未登记后，再次点击“保存登记”。' });
        return;
      }
      applyApiError(e);
      return;
    }

    // 3. The scans, straight to S3, with a progress bar each.
    setPhase('uploading');
    setUploads(files.map(() => ({ fraction: 0 })));
    const outcomes = await uploadAll(registered.uploads, files, (i, fraction) => {
      setUploads((u) => u.map((s, j) => (j === i ? { fraction, done: fraction >= 1 } : s)));
    });
    setUploads(outcomes.map((o) => ({ fraction: o.ok ? 1 : 0, done: o.ok, error: o.error })));
    setSuccess({ registered, files, outcomes });
    setDraft(blankDraft());
    setFiles([]);
    setUploads([]);
    setErrors({});
    setConfirmedFor(undefined);
    setCheck({ state: 'idle' });
    setPhase('edit');
    window.scrollTo({ top: 0 });
  };

  const startOver = (): void => {
    setSuccess(undefined);
    setBanner(undefined);
    setDraft(blankDraft());
    window.setTimeout(() => formRef.current?.querySelector<HTMLInputElement>('input')?.focus(), 0);
  };

  const clearForm = (): void => {
    if (!window.confirm('清空本页已填写的内容？')) return;
    setDraft(blankDraft());
    setFiles([]);
    setErrors({});
    setBanner(undefined);
    setConfirmedFor(undefined);
  };

  if (success) return <SuccessPanel success={success} onNext={startOver} />;

  const err = (path: string): string | undefined => errors[path];
  /** An error on the path or on any path below it (the API reports e.g. representatives.2). */
  const errUnder = (prefix: string): string | undefined => errors[prefix] ?? Object.entries(errors).find(([k]) => k.startsWith(`${prefix}.`))?.[1];
  const uploadErrors = Object.entries(errors)
    .filter(([k]) => k.startsWith('uploads'))
    .map(([k, v]) => {
      const i = Number(k.split('.')[1]);
      return files[i] ? `${files[i].name}：${v}` : v;
    });
  const KNOWN =
    /^(petitioners|persons|representatives|channel|itemType|category|subcategory|locality|level|accusedUnits|subject|summary|receivedOn|statutoryRoute|uploads)(\.|$)/;
  const otherErrors = Object.entries(errors).filter(([k]) => !KNOWN.test(k) || k === 'petitioners' || k === 'statutoryRoute');

  return (
    <Page
      title="信访登记"
      actions={
        <span className="muted reg-draft-note">
          {kept ? '填写内容和扫描件自动保存在本浏览器，请求失败或刷新页面不会丢失' : '填写内容自动保存在本浏览器；本浏览器无法保存扫描件，刷新页面后需重新添加'}
        </span>
      }
    >
      {banner && !(banner.whileErrors && Object.keys(errors).length === 0) ? (
        <div className="banner banner-error" role="alert">
          <strong>{banner.text ?? errorMessage(banner.error)}</strong>
          {banner.error instanceof ApiError && banner.error.issues.length > 0 ? <span className="banner-sub">（请检查标红的栏目）</span> : null}
          {otherErrors.length > 0 ? (
            <ul className="reg-other-errors">
              {otherErrors.map(([k, v]) => (
                <li key={k}>{v}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form ref={formRef} className="reg-layout" onSubmit={(e) => void save(e)} noValidate aria-label="信访登记表">
        <div className="reg-main">
          <Card title="信访人" className="reg-card">
            {draft.petitioners.map((p, i) => (
              <fieldset key={i} className="reg-petitioner">
                <legend className={draft.petitioners.length > 1 ? undefined : 'sr-only'}>信访人 {i + 1}</legend>
                <div className="reg-petitioner-grid">
                  <TextInput
                    label="姓名"
                    required
                    value={p.name}
                    maxLength={50}
                    autoComplete="off"
                    disabled={busy}
                    error={err(`petitioners.${i}.name`)}
                    onChange={(e) => setPetitioner(i, 'name', e.target.value)}
                  />
                  <TextInput
                    label="身份证号码"
                    value={p.idNumber}
                    maxLength={22}
                    autoComplete="off"
                    inputMode="text"
                    disabled={busy}
                    error={err(`petitioners.${i}.idNumber`)}
                    onChange={(e) => setPetitioner(i, 'idNumber', e.target.value)}
                  />
                  <TextInput
                    label="联系电话"
                    type="tel"
                    value={p.phone}
                    maxLength={20}
                    autoComplete="off"
                    disabled={busy}
                    error={err(`petitioners.${i}.phone`)}
                    onChange={(e) => setPetitioner(i, 'phone', e.target.value)}
                  />
                  <TextInput
                    label="住址"
                    value={p.address}
                    maxLength={200}
                    autoComplete="off"
                    disabled={busy}
                    error={err(`petitioners.${i}.address`)}
                    onChange={(e) => setPetitioner(i, 'address', e.target.value)}
                  />
                </div>
                {draft.petitioners.length > 1 ? (
                  <Button
                    variant="link"
                    className="btn btn-link reg-remove"
                    disabled={busy}
                    aria-label={`删除信访人 ${i + 1}`}
                    onClick={() => setDraft((d) => ({ ...d, petitioners: d.petitioners.filter((_, j) => j !== i) }))}
                  >
                    删除
                  </Button>
                ) : null}
              </fieldset>
            ))}
            <div className="row reg-petitioner-actions">
              <Button
                disabled={busy || draft.petitioners.length >= 30}
                onClick={() =>
                  setDraft((d) => {
                    const petitioners = [...d.petitioners, emptyPetitioner()];
                    const persons = Number(d.persons) < petitioners.length ? String(petitioners.length) : d.persons;
                    return { ...d, petitioners, persons };
                  })
                }
              >
                ＋ 添加信访人
              </Button>
              <span className="hint">身份证号码或“姓名＋联系电话”用于查找该信访人的既往信访事项</span>
            </div>
            <div className="reg-persons">
              <TextInput
                label="人数"
                required
                type="number"
                min={1}
                max={100000}
                value={draft.persons}
                disabled={busy}
                error={err('persons')}
                onChange={(e) => set('persons', e.target.value)}
              />
              <div>
                <TextInput
                  label="代表人"
                  value={draft.representatives}
                  disabled={busy}
                  error={errUnder('representatives')}
                  hint={`选填；多人信访推选的代表，最多${vocab.maxRepresentatives}人，用顿号“、”分隔`}
                  onChange={(e) => set('representatives', e.target.value)}
                />
              </div>
            </div>
            {errors.petitioners ? <div className="field-error">{errors.petitioners}</div> : null}
          </Card>

          <Card title="信访事项" className="reg-card">
            <div className="grid grid-3">
              <Select
                label="信访形式"
                required
                options={vocab.channels}
                value={draft.channel}
                disabled={busy}
                error={err('channel.type') ?? err('channel')}
                onChange={(e) => set('channel', e.target.value)}
              />
              <Select
                label="事项类型"
                required
                options={vocab.itemTypes}
                placeholder="请选择"
                value={draft.itemType}
                disabled={busy}
                error={err('itemType')}
                onChange={(e) => set('itemType', e.target.value)}
              />
              <Select
                label="问题类别"
                required
                options={vocab.categories.filter((c) => !c.retired)}
                placeholder="请选择"
                value={draft.category}
                disabled={busy}
                error={err('category')}
                onChange={(e) => {
                  set('category', e.target.value);
                  set('subcategory', '');
                }}
              />
              <Select
                label="子类"
                options={(vocab.categories.find((c) => c.code === draft.category)?.subcategories ?? []).filter((s) => !s.retired)}
                placeholder={draft.category ? '（不细分）' : '请先选择问题类别'}
                value={draft.subcategory ?? ''}
                disabled={busy || !draft.category}
                error={err('subcategory')}
                onChange={(e) => set('subcategory', e.target.value)}
              />
            </div>
            <div className="grid grid-3 reg-sub">
              <Select
                label="问题属地"
                options={vocab.localities}
                placeholder="未填写"
                value={draft.locality ?? ''}
                disabled={busy}
                error={err('locality')}
                hint="所反映问题发生或所在的地方（统计分析按属地分类）"
                onChange={(e) => set('locality', e.target.value)}
              />
              {levelApplies(draft.channel, vocab) ? (
                <Select
                  label="信访层级"
                  options={vocab.petitionLevels}
                  placeholder="未填写"
                  value={draft.level ?? ''}
                  disabled={busy}
                  error={err('level')}
                  hint="来访或上级交转办：本级访、越级到市访、赴省访、进京访"
                  onChange={(e) => set('level', e.target.value)}
                />
              ) : null}
            </div>
            {draft.channel === 'referral' ? (
              <div className="grid grid-3 reg-sub">
                <TextInput
                  label="交办机关"
                  required
                  value={draft.fromOrgan}
                  maxLength={100}
                  disabled={busy}
                  error={err('channel.fromOrgan')}
                  onChange={(e) => set('fromOrgan', e.target.value)}
                />
                <TextInput
                  label="交办文号"
                  required
                  value={draft.reference}
                  maxLength={100}
                  disabled={busy}
                  error={err('channel.reference')}
                  onChange={(e) => set('reference', e.target.value)}
                />
                <TextInput
                  label="交办期限"
                  type="date"
                  value={draft.deadline}
                  disabled={busy}
                  error={err('channel.deadline')}
                  hint="上级机关要求的办结期限（选填）"
                  onChange={(e) => set('deadline', e.target.value)}
                />
              </div>
            ) : null}
            {draft.itemType === 'accusation' ? (
              <div className="reg-sub">
                {draft.accused.map((a, i) => (
                  <div key={i} className="grid grid-3 reg-accused">
                    <TextInput
                      label={i === 0 ? '被反映单位' : `被反映单位 ${i + 1}`}
                      required={i === 0}
                      value={a.name}
                      maxLength={100}
                      disabled={busy}
                      error={err(`accusedUnits.${i}.name`) ?? (i === 0 ? err('accusedUnits') : undefined)}
                      onChange={(e) => setAccused(i, 'name', e.target.value)}
                    />
                    <Select
                      label={i === 0 ? '属本机关部门' : `属本机关部门 ${i + 1}`}
                      options={vocab.departments}
                      placeholder="否（外部单位）"
                      value={a.deptCode}
                      disabled={busy}
                      error={err(`accusedUnits.${i}.deptCode`)}
                      hint="被反映的部门将不能查看本案（《信访工作条例》第三十条）"
                      onChange={(e) => setAccused(i, 'deptCode', e.target.value)}
                    />
                    <div className="reg-accused-actions">
                      {draft.accused.length > 1 ? (
                        <Button
                          variant="link"
                          className="btn btn-link reg-remove"
                          disabled={busy}
                          aria-label={`删除被反映单位 ${i + 1}`}
                          onClick={() => setDraft((d) => ({ ...d, accused: d.accused.filter((_, j) => j !== i) }))}
                        >
                          删除
                        </Button>
                      ) : null}
                    </div>
                  </div>
                ))}
                <Button
                  disabled={busy || draft.accused.length >= 20}
                  onClick={() => setDraft((d) => ({ ...d, accused: [...d.accused, { name: '', deptCode: '' }] }))}
                >
                  ＋ 添加被反映单位
                </Button>
              </div>
            ) : null}
            <div className="grid grid-3 reg-sub">
              <div className="reg-span-2">
                <TextInput
                  label="事由"
                  required
                  value={draft.subject}
                  maxLength={100}
                  disabled={busy}
                  error={err('subject')}
                  hint="一句话概括信访事项（不超过100字）"
                  onChange={(e) => set('subject', e.target.value)}
                />
              </div>
              <TextInput
                label="收到日期"
                required
                type="date"
                value={draft.receivedOn}
                max={todayInBeijing()}
                disabled={busy}
                error={err('receivedOn')}
                onChange={(e) => set('receivedOn', e.target.value)}
              />
            </div>
            <TextArea
              label="主要诉求及内容摘要"
              required
              rows={4}
              value={draft.summary}
              maxLength={2000}
              disabled={busy}
              error={err('summary')}
              hint={`${draft.summary.length} / 2000 字`}
              onChange={(e) => set('summary', e.target.value)}
            />
            <fieldset className="reg-routes">
              <legend>法定途径</legend>
              <div className="row">
                <Checkbox label="已由法院受理" checked={draft.litigation} disabled={busy} onChange={(e) => set('litigation', e.target.checked)} />
                <Checkbox label="已由仲裁机构受理" checked={draft.arbitration} disabled={busy} onChange={(e) => set('arbitration', e.target.checked)} />
                <Checkbox
                  label="已由行政复议机关受理"
                  checked={draft.reconsideration}
                  disabled={busy}
                  onChange={(e) => set('reconsideration', e.target.checked)}
                />
                <span className="hint">已受理的，一般告知信访人依法定途径处理</span>
              </div>
            </fieldset>
          </Card>

          <Card title={materials.title} className="reg-card">
            <FileDrop
              label={materials.drop}
              files={files}
              onChange={(f) => {
                setFiles(f);
                setErrors(({ ...rest }) => Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('uploads'))));
              }}
              maxBytes={vocab.office.maxUploadBytes}
              uploads={uploads}
              disabled={busy}
              error={uploadErrors.length > 0 ? uploadErrors.join('；') : undefined}
            />
            {restored > 0 ? <p className="hint">已恢复上次添加的 {restored} 个文件。</p> : null}
            {files.length === 0 && materials.hint ? <p className="hint">{materials.hint}</p> : null}
          </Card>
        </div>

        <aside className="reg-side">
          <div ref={warningsRef}>
            <Card title="登记提示" className="reg-card reg-check">
              <CheckPanel check={check} hasLookup={Boolean(lookup)} />
              {warnings.length > 0 ? (
                <Checkbox
                  label="已核对上述提示，仍予登记"
                  checked={confirmedFor === signature}
                  disabled={busy}
                  onChange={(e) => setConfirmedFor(e.target.checked ? signature : undefined)}
                />
              ) : null}
            </Card>
          </div>
          <Card className="reg-card reg-actions">
            <SaveSummary files={files} phase={phase} />
            <Button type="submit" variant="primary" busy={busy} className="btn btn-primary reg-save">
              {phase === 'checking' ? '正在检查…' : phase === 'saving' ? '正在保存…' : phase === 'uploading' ? '正在上传扫描件…' : '保存登记'}
            </Button>
            {!confirmed ? <p className="hint reg-confirm-hint">有登记提示：请先核对并勾选确认</p> : null}
            <Button variant="link" className="btn btn-link reg-clear" disabled={busy} onClick={clearForm}>
              清空表单
            </Button>
          </Card>
        </aside>
      </form>
    </Page>
  );
}

function CheckPanel({ check, hasLookup }: { check: CheckState; hasLookup: boolean }) {
  if (!hasLookup && check.state !== 'done') {
    return <p className="muted reg-check-idle">填写信访人身份证号码，或姓名和联系电话后，自动检查是否重复信访。</p>;
  }
  switch (check.state) {
    case 'idle':
    case 'checking':
      return (
        <p className="muted reg-check-idle" role="status">
          <span className="spinner" aria-hidden="true" /> 正在检查既往信访事项…
        </p>
      );
    case 'error':
      return <Notice kind="warn">暂时无法检查既往信访事项：{errorMessage(check.error)}（保存时将再次检查）</Notice>;
    case 'done':
      if (check.result.warnings.length === 0) return <Notice kind="success">未发现该信访人的其他信访事项</Notice>;
      return (
        <div role="alert">
          <WarningList warnings={check.result.warnings} earlier={check.result.earlier} />
        </div>
      );
  }
}

function SaveSummary({ files, phase }: { files: File[]; phase: string }) {
  const total = files.reduce((s, f) => s + f.size, 0);
  return (
    <p className="muted reg-save-summary">
      {files.length > 0 ? `扫描件 ${files.length} 个，共 ${fileSize(total)}` : '未添加扫描件'}
      {phase === 'uploading' ? '；正在上传，请勿关闭页面' : ''}
    </p>
  );
}

// ---- after saving -----------------------------------------------------------------------------

function SuccessPanel({ success, onNext }: { success: Success; onNext: () => void }) {
  const L = useLabels();
  const { registered } = success;
  const c = registered.case;
  const [outcomes, setOutcomes] = useState(success.outcomes);
  const [retrying, setRetrying] = useState(false);
  const [receipt, setReceipt] = useState<{ url: string; fileName: string }>();
  const [receiptBusy, setReceiptBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const failed = outcomes.filter((o) => !o.ok);

  useEffect(
    () => () => {
      if (receipt?.url.startsWith('blob:')) URL.revokeObjectURL(receipt.url);
    },
    [receipt],
  );

  const findReceipt = async (): Promise<DocumentView | undefined> => {
    const inView = c.documents.find((d) => d.letterKind === 'receipt');
    if (inView) return inView;
    const fresh = (await api.get<{ documents: DocumentView[] }>(casePath(c.caseNo))).data;
    return fresh.documents.find((d) => d.letterKind === 'receipt');
  };

  /** Opens the receipt in a new tab (the browser's PDF viewer prints it) and shows it below. */
  const printReceipt = async (): Promise<void> => {
    setError(undefined);
    // Opened now, while the click still counts as the user's: a window opened after an await is blocked.
    const w = window.open('', '_blank');
    setReceiptBusy(true);
    try {
      let target = receipt;
      if (!target) {
        const doc = await findReceipt();
        if (!doc) throw new Error('未找到受理凭证（回执），请在案件页查看');
        const link = (await api.get<{ url: string; fileName: string }>(casePath(c.caseNo, 'documents', doc.documentId, 'download'))).data;
        let url = link.url;
        try {
          const res = await fetch(link.url);
          if (res.ok) url = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'application/pdf' }));
        } catch {
          // Not readable from this page: the new tab opens the link itself (a download).
        }
        target = { url, fileName: link.fileName };
        setReceipt(target);
      }
      if (w) {
        w.location.href = target.url;
      }
    } catch (e) {
      w?.close();
      setError(e);
    } finally {
      setReceiptBusy(false);
    }
  };

  const retryUploads = async (): Promise<void> => {
    setRetrying(true);
    const next = [...outcomes];
    for (const o of failed) {
      const file = success.files[o.fileIndex];
      if (!file) continue;
      try {
        const link = (await api.post<UploadLink>(casePath(c.caseNo, 'documents'), uploadRequestOf(file, 'letter'))).data;
        await uploadPresignedPost(link.upload, file);
        next[o.fileIndex] = { ...o, documentId: link.documentId, ok: true, error: undefined };
      } catch (e) {
        next[o.fileIndex] = { ...o, ok: false, error: errorMessage(e) };
      }
    }
    setOutcomes(next);
    setRetrying(false);
  };

  return (
    <Page title="登记成功">
      <div className="reg-success">
        <Card className="reg-card reg-success-card">
          <div className="reg-success-head" role="status">
            <span className="reg-success-icon" aria-hidden="true">
              ✓
            </span>
            <div>
              <div className="reg-success-title">信访事项已登记</div>
              <div className="muted">
                {L.channel(c.channel.type)} · {L.itemType(c.itemType)} · {L.category(c.category)} · 收到日期 {chineseDate(c.receivedOn)}
              </div>
            </div>
          </div>
          {registered.replayed ? <Notice kind="info">此前的保存请求已经登记成功，本次未重复建案。</Notice> : null}
          <dl className="reg-success-facts">
            <div>
              <dt>案件编号</dt>
              <dd>
                <Link to={caseLink(c.caseNo)} className="reg-case-no">
                  {c.caseNo}
                </Link>
              </dd>
            </div>
            <div>
              <dt>查询码</dt>
              <dd>
                <span className="reg-query-code" aria-label={`查询码 ${registered.queryCode}`}>
                  {registered.queryCode}
                </span>
              </dd>
            </div>
          </dl>
          <Notice kind="warn">
            查询码只显示这一次，请告知信访人（也印在受理凭证上）。信访人凭案件编号和查询码，可在“信访人查询”页面查看办理情况、下载告知书。
          </Notice>
          <div className="row reg-success-actions">
            <Button variant="primary" busy={receiptBusy} onClick={() => void printReceipt()}>
              打印回执
            </Button>
            <Link to={caseLink(c.caseNo)} className="btn">
              查看案件
            </Link>
            <Button onClick={onNext}>继续登记</Button>
          </div>
          {error ? (
            <div className="banner banner-error" role="alert">
              {errorMessage(error)}
            </div>
          ) : null}
        </Card>

        <div className="reg-success-side">
          <Card title="扫描件上传" className="reg-card">
            {outcomes.length === 0 ? (
              <p className="muted">本次登记未附扫描件，可在案件页补传。</p>
            ) : (
              <ul className="reg-upload-results">
                {outcomes.map((o) => {
                  const f = success.files[o.fileIndex];
                  return (
                    <li key={o.fileIndex} className={o.ok ? 'ok' : 'failed'}>
                      <span aria-hidden="true">{o.ok ? '✓' : '✗'}</span> <span className="reg-upload-name">{o.fileName}</span>{' '}
                      <span className="muted">{f ? fileSize(f.size) : ''}</span> <strong>{o.ok ? '已上传' : '上传失败'}</strong>
                      {o.error ? <div className="field-error">{o.error}</div> : null}
                    </li>
                  );
                })}
              </ul>
            )}
            {failed.length > 0 ? (
              <Button busy={retrying} onClick={() => void retryUploads()}>
                重试上传
              </Button>
            ) : null}
          </Card>
          {c.warnings.length > 0 ? (
            <Card title="登记提示（已记入案件）" className="reg-card">
              <WarningList warnings={c.warnings} earlier={[]} />
            </Card>
          ) : null}
        </div>
      </div>
      {receipt ? (
        <Card
          title="受理凭证"
          className="reg-card reg-receipt"
          actions={
            <a href={receipt.url} target="_blank" rel="noopener noreferrer">
              在新标签页打开
            </a>
          }
        >
          <FileViewer url={receipt.url} contentType="application/pdf" fileName={receipt.fileName} />
        </Card>
      ) : null}
    </Page>
  );
}
