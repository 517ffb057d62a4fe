/**
 * 网上信访 (#/online, no sign-in, mobile first): the petitioner submits a petition — name, ID
 * number (checked here with the server's rule), mobile verified by an SMS code, address,
 * 问题属地, category, 标题, 诉求, 事实和理由, a collective petition's representatives (at most 5),
 * attachments (PDF, JPEG, PNG; sent straight to storage) and the SMS opt-out. Before the SMS code
 * is sent the browser solves a proof-of-work challenge (crypto.subtle; no foreign service). The
 * answer is the receipt: the case number and the query code, shown once, and the receipt PDF.
 */
import { useState, type FormEvent } from 'react';
import type { OnlineReceipt } from '@shared/app/online';
import type { Challenge } from '@shared/domain/online';
import { MOBILE_PATTERN, validateChineseIdNumber } from '@shared/domain/pii-validation';
import { api, ApiError, uploadPresignedPost } from '../lib/api';
import { chineseDate } from '../lib/format';
import { href } from '../lib/router';
import { useVocab } from '../lib/vocab';
import { Button, Card, Checkbox, ErrorBanner, Notice, Page, Select, TextArea, TextInput } from '../components/ui';
import './public.css';

type Errors = Record<string, string>;

const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const MAX_FILES = 5;
const MAX_FILE_MB = 20;

interface Form {
  name: string;
  idNumber: string;
  phone: string;
  smsCode: string;
  address: string;
  issueLocality: string;
  category: string;
  itemType: string;
  title: string;
  request: string;
  facts: string;
  persons: string;
  representatives: string[];
  smsOptOut: boolean;
}

const EMPTY: Form = {
  name: '',
  idNumber: '',
  phone: '',
  smsCode: '',
  address: '',
  issueLocality: '',
  category: '',
  itemType: 'request-appeal',
  title: '',
  request: '',
  facts: '',
  persons: '1',
  representatives: [],
  smsOptOut: false,
};

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Finds the number whose SHA-256 with the salt is the challenge (ALTCHA's proof of work). */
async function solve(c: Challenge): Promise<number> {
  for (let n = 0; n <= c.maxnumber; n++) if ((await sha256Hex(`${c.salt}${n}`)) === c.challenge) return n;
  throw new Error('人机验证失败，请重试');
}

function fieldErrors(err: unknown): Errors {
  if (!(err instanceof ApiError) || err.status !== 400) return {};
  return err.fieldErrors();
}

export default function Online() {
  const vocab = useVocab();
  const [form, setForm] = useState<Form>(EMPTY);
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>();
  const [code, setCode] = useState<{ busy: boolean; sentTo?: string; error?: unknown }>({ busy: false });
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<OnlineReceipt>();
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const categories = vocab.categories.filter((c) => c.code !== 'accusation' && !c.retired);

  const identityErrors = (): Errors => {
    const e: Errors = {};
    if (!validateChineseIdNumber(form.idNumber)) e.idNumber = '请填写正确的18位居民身份证号码';
    if (!MOBILE_PATTERN.test(form.phone.trim())) e.phone = '请填写11位手机号码';
    return e;
  };

  const askCode = async () => {
    const e = identityErrors();
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setCode({ busy: true });
    try {
      const { data: challenge } = await api.get<Challenge>('/public/online/challenge', { anonymous: true });
      const number = await solve(challenge);
      const { data } = await api.post<{ sentTo: string }>(
        '/public/online/sms-code',
        { phone: form.phone.trim(), idNumber: form.idNumber.trim(), challenge: { ...challenge, number, maxnumber: undefined } },
        { anonymous: true },
      );
      setCode({ busy: false, sentTo: data.sentTo });
    } catch (err) {
      setCode({ busy: false, error: err });
      setErrors(fieldErrors(err));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const bad: Errors = identityErrors();
    if (!form.name.trim()) bad.name = '请填写姓名';
    if (!/^\d{6}$/.test(form.smsCode.trim())) bad.smsCode = '请填写6位短信验证码';
    if (!form.address.trim()) bad.address = '请填写住址';
    if (!form.issueLocality.trim()) bad.issueLocality = '请填写问题属地';
    if (!form.category) bad.category = '请选择问题类别';
    if (!form.title.trim()) bad.title = '请填写标题';
    if (!form.request.trim()) bad.request = '请填写诉求';
    if (!form.facts.trim()) bad.facts = '请填写事实和理由';
    if (files.length > MAX_FILES) bad.attachments = `最多上传${MAX_FILES}个附件`;
    if (files.some((f) => !TYPES.includes(f.type) || f.size > MAX_FILE_MB * 1024 * 1024)) bad.attachments = `附件须为PDF、JPG或PNG，单个不超过${MAX_FILE_MB}MB`;
    setErrors(bad);
    setError(undefined);
    if (Object.keys(bad).length > 0) return;
    setBusy(true);
    try {
      const representatives = form.representatives.map((r) => r.trim()).filter(Boolean);
      const { data } = await api.post<OnlineReceipt>(
        '/public/online/petitions',
        {
          name: form.name.trim(),
          idNumber: form.idNumber.trim(),
          phone: form.phone.trim(),
          smsCode: form.smsCode.trim(),
          address: form.address.trim(),
          issueLocality: form.issueLocality.trim(),
          category: form.category,
          itemType: form.itemType,
          title: form.title.trim(),
          request: form.request.trim(),
          facts: form.facts.trim(),
          persons: Math.max(Number(form.persons) || 1, 1 + representatives.length),
          representatives,
          attachments: files.map((f) => ({ contentType: f.type, size: f.size, fileName: f.name })),
          smsOptOut: form.smsOptOut,
        },
        { anonymous: true },
      );
      for (const [i, link] of data.uploads.entries()) {
        const file = files[i];
        if (file) await uploadPresignedPost(link.upload, file);
      }
      setReceipt(data);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new Error(err.message) : err);
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  if (receipt) return <Receipt receipt={receipt} />;

  return (
    <Page title="网上信访">
      <p className="pub-intro">
        请如实填写以下信息。提交后本机关将在15日内告知您是否受理。已有案件编号的，请到<a href={href('/public')}>信访事项查询</a>。
      </p>
      <form className="online-form" onSubmit={submit} noValidate aria-label="网上信访">
        <ErrorBanner error={error} />
        <Card title="信访人">
          <TextInput label="姓名" name="name" required value={form.name} error={errors.name} onChange={(e) => set('name', e.target.value)} />
          <TextInput
            label="身份证号码"
            name="idNumber"
            required
            autoComplete="off"
            maxLength={18}
            value={form.idNumber}
            error={errors.idNumber}
            onChange={(e) => set('idNumber', e.target.value)}
          />
          <TextInput
            label="手机号码"
            name="phone"
            required
            inputMode="numeric"
            maxLength={11}
            value={form.phone}
            error={errors.phone}
            onChange={(e) => set('phone', e.target.value)}
          />
          <div className="online-code">
            <TextInput
              label="短信验证码"
              name="smsCode"
              required
              inputMode="numeric"
              maxLength={6}
              autoComplete="one-time-code"
              value={form.smsCode}
              error={errors.smsCode}
              hint={code.sentTo ? `验证码已发送至${code.sentTo}` : '点击获取验证码，系统将自动完成人机验证'}
              onChange={(e) => set('smsCode', e.target.value)}
            />
            <Button onClick={() => void askCode()} busy={code.busy}>
              获取验证码
            </Button>
          </div>
          {code.error ? <ErrorBanner error={code.error} /> : null}
          <TextInput label="住址" name="address" required value={form.address} error={errors.address} onChange={(e) => set('address', e.target.value)} />
        </Card>
        <Card title="反映的问题">
          <TextInput
            label="问题属地"
            name="issueLocality"
            required
            placeholder="如 江川区宁海街道"
            value={form.issueLocality}
            error={errors.issueLocality}
            onChange={(e) => set('issueLocality', e.target.value)}
          />
          <Select
            label="问题类别"
            name="category"
            required
            placeholder="请选择"
            options={categories}
            value={form.category}
            error={errors.category}
            onChange={(e) => set('category', e.target.value)}
          />
          <Select
            label="事项类型"
            name="itemType"
            options={[
              { code: 'request-appeal', name: '申诉求决' },
              { code: 'suggestion', name: '建议意见' },
            ]}
            value={form.itemType}
            onChange={(e) => set('itemType', e.target.value)}
          />
          <TextInput label="标题" name="title" required maxLength={50} value={form.title} error={errors.title} onChange={(e) => set('title', e.target.value)} />
          <TextArea
            label="诉求"
            name="request"
            required
            rows={3}
            maxLength={500}
            value={form.request}
            error={errors.request}
            hint={`${form.request.length}/500`}
            onChange={(e) => set('request', e.target.value)}
          />
          <TextArea
            label="事实和理由"
            name="facts"
            required
            rows={6}
            maxLength={5000}
            value={form.facts}
            error={errors.facts}
            hint={`${form.facts.length}/5000`}
            onChange={(e) => set('facts', e.target.value)}
          />
        </Card>
        <Card title="多人联名（选填）">
          <TextInput
            label="信访人数"
            name="persons"
            inputMode="numeric"
            value={form.persons}
            error={errors.persons}
            onChange={(e) => set('persons', e.target.value.replace(/\D/g, ''))}
          />
          {form.representatives.map((r, i) => (
            <TextInput
              key={i}
              label={`代表人${i + 1}`}
              name={`representative-${i}`}
              value={r}
              error={errors[`representatives.${i}`]}
              onChange={(e) =>
                set(
                  'representatives',
                  form.representatives.map((x, j) => (j === i ? e.target.value : x)),
                )
              }
            />
          ))}
          {form.representatives.length < 5 ? (
            <Button onClick={() => set('representatives', [...form.representatives, ''])}>添加代表人</Button>
          ) : (
            <p className="muted pub-small">多人采用走访形式提出同一信访事项的，代表人不超过5人。</p>
          )}
        </Card>
        <Card title="附件（选填）">
          <label className="field">
            <span className="field-label">
              上传材料（PDF、JPG、PNG，最多{MAX_FILES}个，单个不超过{MAX_FILE_MB}MB）
            </span>
            <input type="file" name="attachments" multiple accept={TYPES.join(',')} onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
          </label>
          {files.length > 0 ? (
            <ul className="online-files">
              {files.map((f) => (
                <li key={f.name}>{f.name}</li>
              ))}
            </ul>
          ) : null}
          {errors.attachments ? (
            <div className="field-error" role="alert">
              {errors.attachments}
            </div>
          ) : null}
        </Card>
        <Checkbox label="不接收办理进度短信通知" name="smsOptOut" checked={form.smsOptOut} onChange={(e) => set('smsOptOut', e.target.checked)} />
        <Button type="submit" variant="primary" busy={busy}>
          提交
        </Button>
      </form>
    </Page>
  );
}

function Receipt({ receipt }: { receipt: OnlineReceipt }) {
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setError(undefined);
    try {
      const { data } = await api.post<{ url: string; fileName: string }>(
        '/public/letters/download',
        { caseNo: receipt.caseNo, queryCode: receipt.queryCode, documentId: receipt.receiptDocumentId },
        { anonymous: true },
      );
      window.location.assign(data.url);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title="提交成功">
      <Card title="受理凭证" className="online-receipt">
        <Notice kind="success">您的信访事项已登记。请牢记以下案件编号和查询码，查询码只显示这一次。</Notice>
        <dl className="pub-dates">
          <div className="pub-date">
            <dt>案件编号</dt>
            <dd>
              <strong data-testid="receipt-caseno">{receipt.caseNo}</strong>
            </dd>
          </div>
          <div className="pub-date">
            <dt>查询码</dt>
            <dd>
              <strong data-testid="receipt-querycode">{receipt.queryCode}</strong>
            </dd>
          </div>
          <div className="pub-date">
            <dt>登记日期</dt>
            <dd>{chineseDate(receipt.receivedOn)}</dd>
          </div>
          {receipt.notifyDue ? (
            <div className="pub-date">
              <dt>受理告知期限</dt>
              <dd>{chineseDate(receipt.notifyDue)}前书面告知您是否受理</dd>
            </div>
          ) : null}
        </dl>
        <ErrorBanner error={error} />
        {receipt.receiptDocumentId ? <Button onClick={() => void download()}>下载受理凭证（PDF）</Button> : null}
        <p>
          <a href={href(`/public?caseNo=${encodeURIComponent(receipt.caseNo)}`)}>查询办理进度</a>
        </p>
      </Card>
    </Page>
  );
}
