/**
 * 信访人查询 (#/public, no sign-in): the petitioner looks a case up with its number and query code
 * (POST /public/query), reads its status and dates in plain words, downloads the letters addressed
 * to them (POST /public/letters/download), rates the answer once it was delivered
 * (POST /public/rating), and anyone may check a printed letter (POST /public/verify-letter).
 *
 * A wrong number and a wrong code get the same answer: the page never tells whether a case exists.
 * The query code is kept in memory only (not in sessionStorage): this page is used on shared
 * computers too.
 */
import { useState, type FormEvent } from 'react';
import type { LetterVerification } from '@shared/app/registry';
import type { PublicView } from '@shared/app/views';
import { api, ApiError } from '../lib/api';
import { chineseDate, dateTime } from '../lib/format';
import { href, useLocation } from '../lib/router';
import { useLabels, useVocab } from '../lib/vocab';
import { Button, Card, ErrorBanner, Notice, Page, StatusBadge, TextArea, TextInput } from '../components/ui';
import './public.css';

interface Credentials {
  caseNo: string;
  queryCode: string;
}

type Errors = Record<string, string>;

const NOT_FOUND = '案件编号或查询码不正确，请核对受理凭证或告知书上的编号和查询码后重新输入。';

/** What each status means to the petitioner. */
const STATUS_TEXT: Record<string, string> = {
  registered: '您的信访事项已登记，本机关正在审查是否受理，并将在受理告知期限内书面告知您。',
  accepted: '您的信访事项已受理，正在办理。',
  declined: '您的信访事项不予受理，理由及其他救济途径见《不予受理告知书》。',
  transferred: '您的信访事项已转送有权处理的机关，详见《转送告知书》。',
  assigned: '您的信访事项已受理，并已交由承办单位办理。',
  answered: '承办单位已提出处理意见，本机关正在审核。',
  replied: '本机关已出具《信访处理意见书》，正在送达。',
  delivered: '《信访处理意见书》已送达。如不服处理意见，可在下列期限内请求复查。',
  under_review: '您的复查请求正在办理中。',
  reviewed: '复查意见已出具。如不服复查意见，可在下列期限内请求复核。',
  under_rereview: '您的复核请求正在办理中。',
  final: '复核意见已出具，本信访事项办理终结。',
  closed: '本信访事项已办结。',
  archived: '本信访事项已办结并归档。',
};

/** Errors of a public call: the API's field issues next to their fields, the rest in a banner. */
function describe(err: unknown, notFound: string): { banner: unknown; fields: Errors } {
  if (err instanceof ApiError) {
    if (err.status === 404) return { banner: new Error(notFound), fields: {} };
    if (err.status === 429) return { banner: new Error('查询过于频繁，请稍后再试。'), fields: {} };
    if (err.status === 400 && err.issues.length > 0) return { banner: err, fields: err.fieldErrors() };
  }
  return { banner: err, fields: {} };
}

export default function Public() {
  const loc = useLocation();
  const [form, setForm] = useState<Credentials>({ caseNo: loc.query.get('caseNo') ?? '', queryCode: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ creds: Credentials; view: PublicView }>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const creds = { caseNo: form.caseNo.trim().toUpperCase(), queryCode: form.queryCode.trim().toUpperCase() };
    const missing: Errors = {};
    if (!creds.caseNo) missing.caseNo = '请填写案件编号';
    if (!creds.queryCode) missing.queryCode = '请填写查询码';
    else if (creds.queryCode.length < 8) missing.queryCode = '查询码为8位字母和数字';
    setErrors(missing);
    setError(undefined);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const { data } = await api.post<PublicView>('/public/query', creds, { anonymous: true });
      setResult({ creds, view: data });
    } catch (err) {
      const d = describe(err, NOT_FOUND);
      setResult(undefined);
      setError(d.banner);
      setErrors(err instanceof ApiError && err.status === 404 ? { queryCode: '请核对案件编号和查询码' } : d.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="信访事项查询">
      <p className="pub-intro">
        请输入受理凭证或告知书上的<strong>案件编号</strong>和<strong>查询码</strong>，查询您的信访事项办理情况、下载给您的文书，并对处理结果进行评价。
      </p>
      <p className="pub-intro">
        <a href={href('/online')} className="pub-online-link">
          网上信访：提交新的信访事项
        </a>
      </p>
      <div className="pub-layout">
        <div className="pub-main">
          <Card title="输入查询信息">
            <form onSubmit={submit} noValidate aria-label="输入查询信息">
              <ErrorBanner error={error} />
              <div className="grid grid-2">
                <TextInput
                  label="案件编号"
                  name="caseNo"
                  required
                  autoComplete="off"
                  placeholder="如 XF-2026-000001"
                  value={form.caseNo}
                  error={errors.caseNo}
                  onChange={(e) => setForm({ ...form, caseNo: e.target.value })}
                />
                <TextInput
                  label="查询码"
                  name="queryCode"
                  required
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={20}
                  placeholder="8位字母和数字"
                  hint="见受理凭证，登记时告知您"
                  value={form.queryCode}
                  error={errors.queryCode}
                  onChange={(e) => setForm({ ...form, queryCode: e.target.value })}
                />
              </div>
              <Button type="submit" variant="primary" busy={busy}>
                查询
              </Button>
            </form>
          </Card>
          {result ? <CaseResult key={result.view.caseNo} creds={result.creds} view={result.view} onRated={(view) => setResult({ ...result, view })} /> : null}
        </div>
        <aside className="pub-side">
          <VerifyLetter />
        </aside>
      </div>
    </Page>
  );
}

function CaseResult({ creds, view, onRated }: { creds: Credentials; view: PublicView; onRated: (v: PublicView) => void }) {
  // A deadline that has been met is no longer news: the notify due date until the office decided,
  // the handling due date until the answer was delivered.
  const decided = view.status !== 'registered';
  const dates: { label: string; value?: string; text: string }[] = [
    { label: '登记日期', value: view.receivedOn, text: '本机关收到并登记您的信访事项的日期。' },
    { label: '受理告知期限', value: decided ? undefined : view.notifyDue, text: '本机关应在此日期前书面告知您是否受理。' },
    { label: '受理日期', value: view.accepted, text: '本机关决定受理的日期。' },
    { label: '办理期限', value: view.deliveredOn ? undefined : view.handlingDue, text: '应在此日期前作出处理意见（依法延期的，以《延期办理告知书》为准）。' },
    { label: '送达日期', value: view.deliveredOn, text: '《信访处理意见书》送达您的日期。' },
    { label: '复查申请截止日期', value: view.reviewRequestDue, text: '如不服处理意见，可在此日期前向上一级机关请求复查。' },
    { label: '复核申请截止日期', value: view.rereviewRequestDue, text: '如不服复查意见，可在此日期前请求复核。' },
  ];
  return (
    <>
      <Card title="办理情况" className="pub-result">
        <div className="pub-status" role="status">
          <span className="pub-caseno">{view.caseNo}</span>
          <StatusBadge status={view.status} label={view.statusLabel} />
        </div>
        <p className="pub-status-text">{STATUS_TEXT[view.status] ?? view.statusLabel}</p>
        <dl className="pub-dates">
          {dates
            .filter((d) => d.value)
            .map((d) => (
              <div key={d.label} className="pub-date">
                <dt>{d.label}</dt>
                <dd>
                  <strong>{chineseDate(d.value)}</strong>
                  <span className="muted">{d.text}</span>
                </dd>
              </div>
            ))}
        </dl>
      </Card>
      <Letters creds={creds} view={view} />
      {view.canUrge || view.lastUrgedOn ? <Urge creds={creds} view={view} onUrged={onRated} /> : null}
      {view.rating ? <RecordedRating rating={view.rating} /> : view.canRate ? <RatingForm creds={creds} onRated={onRated} /> : null}
    </>
  );
}

/** 催办: a due date passed without an answer; at most once per the office's interval (429 says when again). */
function Urge({ creds, view, onUrged }: { creds: Credentials; view: PublicView; onUrged: (v: PublicView) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const urge = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await api.post<PublicView>('/public/urge', creds, { anonymous: true });
      setDone(true);
      onUrged(data);
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 429 || err.status === 409) ? new Error(err.message) : describe(err, NOT_FOUND).banner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="催办">
      <ErrorBanner error={error} />
      {done ? <Notice kind="success">催办已提交，本机关将督促承办单位尽快办理。</Notice> : null}
      {view.lastUrgedOn ? <p className="muted pub-small">最近一次催办：{chineseDate(view.lastUrgedOn)}</p> : null}
      {view.canUrge ? (
        <>
          <p className="muted pub-small">您的信访事项已超过办理期限仍未办结，可以催办。</p>
          <Button variant="primary" busy={busy} onClick={() => void urge()}>
            催办
          </Button>
        </>
      ) : null}
    </Card>
  );
}

function Letters({ creds, view }: { creds: Credentials; view: PublicView }) {
  const L = useLabels();
  const [busy, setBusy] = useState<string>();
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [links, setLinks] = useState<Record<string, { url: string; fileName: string }>>({});

  const download = async (documentId: string) => {
    setBusy(documentId);
    setErrors((e) => ({ ...e, [documentId]: undefined }));
    try {
      const { data } = await api.post<{ url: string; fileName: string; expiresInSec: number }>(
        '/public/letters/download',
        { ...creds, documentId },
        { anonymous: true },
      );
      setLinks((l) => ({ ...l, [documentId]: data }));
      // The link is an attachment: the browser saves it and the page stays.
      const a = document.createElement('a');
      a.href = data.url;
      a.download = data.fileName;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (err) {
      const archived = err instanceof ApiError && /archive/i.test(err.message);
      setErrors((e) => ({
        ...e,
        [documentId]: archived ? new Error('本案已归档，文书请向本机关申请查阅。') : describe(err, '文书不存在或查询码已失效，请重新查询。').banner,
      }));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Card title="给您的文书">
      {view.letters.length === 0 ? (
        <p className="muted">暂无可下载的文书。文书出具后会在此列出。</p>
      ) : (
        <div className="table-wrap">
          <table className="pub-letters">
            <thead>
              <tr>
                <th scope="col">文书</th>
                <th scope="col">文号</th>
                <th scope="col">出具日期</th>
                <th scope="col">
                  <span className="pub-sr-only">下载</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.letters.map((l) => {
                const title = l.letterKind ? L.letterType(l.letterKind) : l.fileName;
                return (
                  <tr key={l.documentId} data-letter={l.letterKind ?? ''}>
                    <th scope="row">{title}</th>
                    <td>{l.documentNo ?? <span className="muted">—</span>}</td>
                    <td>{chineseDate(dateTime(l.createdAt).slice(0, 10))}</td>
                    <td className="pub-download">
                      <Button busy={busy === l.documentId} onClick={() => void download(l.documentId)}>
                        下载<span className="pub-sr-only">{title}</span>
                      </Button>
                      {links[l.documentId] && !errors[l.documentId] ? (
                        <div className="hint">
                          未自动下载？
                          <a href={links[l.documentId]?.url} download={links[l.documentId]?.fileName} rel="noopener">
                            点此保存
                          </a>
                          （链接短时有效）
                        </div>
                      ) : null}
                      {errors[l.documentId] ? (
                        <div className="field-error" role="alert">
                          {errors[l.documentId] instanceof Error ? (errors[l.documentId] as Error).message : String(errors[l.documentId])}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function RatingForm({ creds, onRated }: { creds: Credentials; onRated: (v: PublicView) => void }) {
  const vocab = useVocab();
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!rating) {
      setErrors({ rating: '请选择评价' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const { data } = await api.post<PublicView>('/public/rating', { ...creds, rating, comment: comment.trim() || undefined }, { anonymous: true });
      onRated(data);
    } catch (err) {
      const d = describe(err, NOT_FOUND);
      setError(err instanceof ApiError && err.status === 409 ? new Error('本案已评价或暂不能评价，请重新查询。') : d.banner);
      setErrors(d.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="评价处理结果">
      <form onSubmit={submit} noValidate aria-label="评价处理结果">
        <ErrorBanner error={error} />
        <fieldset className={`pub-rating ${errors.rating ? 'field-invalid' : ''}`} aria-describedby={errors.rating ? 'pub-rating-err' : undefined}>
          <legend>您对处理结果是否满意？</legend>
          <div className="pub-rating-options">
            {vocab.ratings.map((r) => (
              <label key={r.code} className="pub-radio">
                <input type="radio" name="rating" value={r.code} checked={rating === r.code} onChange={() => setRating(r.code)} />
                {r.name}
              </label>
            ))}
          </div>
          {errors.rating ? (
            <div className="field-error" id="pub-rating-err" role="alert">
              {errors.rating}
            </div>
          ) : null}
        </fieldset>
        <TextArea
          label="意见（选填）"
          name="comment"
          maxLength={500}
          rows={3}
          value={comment}
          error={errors.comment}
          hint={`${comment.length}/500`}
          onChange={(e) => setComment(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={busy}>
          提交评价
        </Button>
      </form>
    </Card>
  );
}

function RecordedRating({ rating }: { rating: NonNullable<PublicView['rating']> }) {
  const L = useLabels();
  return (
    <Card title="您的评价">
      <Notice kind="success">
        已评价：<strong className="pub-rating-value">{L.rating(rating.value)}</strong>（{dateTime(rating.at)}）。感谢您的评价。
      </Notice>
      {rating.comment ? (
        <p className="pub-comment">
          <span className="muted">您的意见：</span>
          {rating.comment}
        </p>
      ) : null}
    </Card>
  );
}

function VerifyLetter() {
  const L = useLabels();
  const [form, setForm] = useState({ caseNo: '', hash: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LetterVerification & { caseNo: string }>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { caseNo: form.caseNo.trim().toUpperCase(), hash: form.hash.trim().toLowerCase() };
    const bad: Errors = {};
    if (!body.caseNo) bad.caseNo = '请填写文书上的案号';
    if (!/^[0-9a-f]{12}$/.test(body.hash)) bad.hash = '校验码为文书页脚“校验码”后的12位字符（0–9、A–F）';
    setErrors(bad);
    setError(undefined);
    setResult(undefined);
    if (Object.keys(bad).length > 0) return;
    setBusy(true);
    try {
      const { data } = await api.post<LetterVerification>('/public/verify-letter', body, { anonymous: true });
      setResult({ ...data, caseNo: body.caseNo });
    } catch (err) {
      const d = describe(err, '未找到与该案号和校验码相符的文书。请核对文书页脚所印的案号和校验码；如仍有疑问，请向本机关咨询。');
      setError(d.banner);
      setErrors(d.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="核验文书">
      <p className="muted pub-small">收到本机关出具的文书，可核验其真伪：请输入文书页脚所印的案号和校验码。</p>
      <form onSubmit={submit} noValidate aria-label="核验文书">
        <ErrorBanner error={error} />
        <TextInput
          label="文书所属案号"
          name="verifyCaseNo"
          autoComplete="off"
          placeholder="如 XF-2026-000001"
          value={form.caseNo}
          error={errors.caseNo}
          onChange={(e) => setForm({ ...form, caseNo: e.target.value })}
        />
        <TextInput
          label="校验码"
          name="hash"
          autoComplete="off"
          spellCheck={false}
          maxLength={16}
          placeholder="12位，如 3f9a0c21b7de"
          value={form.hash}
          error={errors.hash}
          onChange={(e) => setForm({ ...form, hash: e.target.value })}
        />
        <Button type="submit" busy={busy}>
          核验
        </Button>
      </form>
      {result ? (
        <div className="pub-verified" role="status">
          <strong>核验通过：</strong>该文书系本机关就案件 {result.caseNo} 出具的《{L.letterType(result.letterKind)}》
          {result.documentNo ? `，文号 ${result.documentNo}` : ''}，出具日期 {chineseDate(result.issuedOn)}。
        </div>
      ) : null}
    </Card>
  );
}
