/**
 * 系统设置 (#/admin/settings, admin): every office setting of GET/PUT /admin/settings, section by
 * section — the sweep's reminders and 挂牌督办 threshold, the upload limit, the archive's retention
 * rules and loans, what the letters print, and the case-number prefix of later years — each with
 * what it does, checked with messages in Chinese before it is sent (and by the API with the schema
 * that reads it), saved with the settings' rev as If-Match (someone else's change in between is a
 * 409, nothing lost), in force without a deploy, and recorded in the office audit trail (操作记录).
 */
import { useState, type ReactNode } from 'react';
import { api, ApiError } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { useVocab } from '../../lib/vocab';
import { Button, Card, ErrorBanner, Loading, Notice, Page, Select, TextInput } from '../../components/ui';
import {
  archiveForm,
  checkArchive,
  checkLetters,
  checkPrefix,
  checkSweep,
  checkUpload,
  lettersForm,
  prefixForm,
  SETTING_LABELS,
  sweepForm,
  uploadForm,
  withoutPrefix,
  type ArchiveForm,
  type Checked,
  type Errors,
  type LettersForm,
  type RetentionRuleView,
  type SettingsResponse,
  type SettingsView,
} from './settings-form';

const thisYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

export default function AdminSettings(_props: PageProps) {
  const load = useLoad((signal) => api.get<SettingsResponse>('/admin/settings', { signal }).then((r) => r.data), []);
  const [saved, setSaved] = useState<SettingsResponse | undefined>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const data = saved ?? load.data;

  /** Sends a checked section with the rev read; the field errors of a refusal, if any. */
  async function save(checked: Checked, what: string): Promise<Errors> {
    setError(undefined);
    setDone(undefined);
    if (!checked.body || !data) return checked.errors;
    try {
      const res = await api.put<SettingsResponse>('/admin/settings', checked.body, { ifMatch: data.rev });
      setSaved(res.data);
      setDone(`已保存：${what}（已记入操作记录，无需重新部署即生效）`);
      return {};
    } catch (err) {
      setError(err);
      return err instanceof ApiError ? err.fieldErrors() : {};
    }
  }

  return (
    <Page title="系统设置">
      <p className="archive-help">
        本页的设置保存后无需重新部署：本功能立即生效，其他功能在 30
        秒内生效。每次修改都记入操作记录（修改人、时间、修改前后）。未修改的项目沿用部署时的配置（OFFICE_CONFIG）。
      </p>
      <ErrorBanner error={error} />
      {done ? <Notice kind="success">{done}</Notice> : null}
      <ErrorBanner error={load.error} />
      {load.loading && !data ? <Loading /> : null}
      {data ? (
        // Keyed by rev: after a save every form starts again from what is now in force.
        <div key={data.rev}>
          <SweepCard s={data.settings} configured={data.configured} save={save} />
          <UploadCard s={data.settings} configured={data.configured} save={save} />
          <PrefixCard s={data.settings} save={save} />
          <ArchiveCard s={data.settings} configured={data.configured} save={save} />
          <LettersCard s={data.settings} save={save} />
        </div>
      ) : null}
    </Page>
  );
}

type Save = (checked: Checked, what: string) => Promise<Errors>;

/** A section: its fields, what it does, and its own 保存 button. */
function SectionCard({ title, effect, children, onSave }: { title: string; effect: ReactNode; children: ReactNode; onSave: () => Promise<unknown> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Card title={title}>
      <p className="hint">{effect}</p>
      {children}
      <div className="form-actions">
        <Button
          variant="primary"
          busy={busy}
          onClick={() => {
            setBusy(true);
            void onSave().finally(() => setBusy(false));
          }}
        >
          保存{title}
        </Button>
      </div>
    </Card>
  );
}

function useSection<F>(initial: F, check: (f: F) => Checked, what: string, save: Save) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Errors>({});
  const set = <K extends keyof F>(k: K, v: F[K]) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async () => {
    const checked = check(form);
    setErrors(checked.errors);
    if (!checked.body) return;
    setErrors(await save(checked, what));
  };
  return { form, set, setForm, errors, submit };
}

const was = (v: ReactNode) => <>部署配置：{v}</>;

function SweepCard({ s, configured, save }: { s: SettingsView; configured: SettingsView; save: Save }) {
  const { form, set, errors, submit } = useSection(sweepForm(s), checkSweep, '督办与提醒', save);
  return (
    <SectionCard
      title="督办与提醒"
      effect="每日期限巡查按这些天数向承办单位发送到期提醒、对超期案件督办和挂牌督办。修改后，所有在办案件的提醒日期随即按新天数重算，下一次巡查即按新规则执行。"
      onSave={submit}
    >
      <div className="grid grid-3">
        <TextInput
          label={SETTING_LABELS['sweep.reminderWorkingDays']}
          hint={<>到期前几个工作日提醒，可填多个，用顿号或逗号分隔（最多5个，1–30）；{was(configured.sweep.reminderWorkingDays.join('、'))}</>}
          value={form.reminderWorkingDays}
          error={errors['sweep.reminderWorkingDays']}
          onChange={(e) => set('reminderWorkingDays', e.target.value)}
        />
        <TextInput
          label={SETTING_LABELS['sweep.flaggedAfterDays']}
          hint={<>超期超过该天数的案件升级为挂牌督办（1–90天）；{was(configured.sweep.flaggedAfterDays)}</>}
          value={form.flaggedAfterDays}
          inputMode="numeric"
          error={errors['sweep.flaggedAfterDays']}
          onChange={(e) => set('flaggedAfterDays', e.target.value)}
        />
        <TextInput
          label={SETTING_LABELS['sweep.replyWorkingDays']}
          hint={<>督办单要求承办单位在几个工作日内书面报送（1–30）；{was(configured.sweep.replyWorkingDays)}</>}
          value={form.replyWorkingDays}
          inputMode="numeric"
          error={errors['sweep.replyWorkingDays']}
          onChange={(e) => set('replyWorkingDays', e.target.value)}
        />
      </div>
    </SectionCard>
  );
}

function UploadCard({ s, configured, save }: { s: SettingsView; configured: SettingsView; save: Save }) {
  const { form, set, errors, submit } = useSection(uploadForm(s), checkUpload, '上传限制', save);
  return (
    <SectionCard title="上传限制" effect="登记扫描件、材料和承办单位上传答复材料时，单个文件的大小上限。已上传的文件不受影响。" onSave={submit}>
      <TextInput
        label={`${SETTING_LABELS.maxUploadBytes}（MB）`}
        hint={<>1–2048 MB；{was(`${uploadForm(configured).maxUploadMb} MB`)}</>}
        value={form.maxUploadMb}
        inputMode="decimal"
        error={errors.maxUploadBytes}
        onChange={(e) => set('maxUploadMb', e.target.value)}
      />
    </SectionCard>
  );
}

function PrefixCard({ s, save }: { s: SettingsView; save: Save }) {
  const year = thisYear();
  const { form, set, errors, submit } = useSection(prefixForm(year), (f) => checkPrefix(f, s.caseNumberPrefixes, year), '案件编号前缀', save);
  const inForce = s.caseNumberPrefixes.filter((e) => e.fromYear <= year).at(-1)?.prefix ?? s.caseNumberPrefix;
  return (
    <SectionCard
      title="案件编号前缀"
      effect={
        <>
          当前案件编号形如 {inForce}-{year}-000001。新前缀只能自以后年度起使用：同一年度的编号为一个序列，已编的案件编号永不改变。
        </>
      }
      onSave={submit}
    >
      {s.caseNumberPrefixes.length > 0 ? (
        <ul className="plain-list">
          {s.caseNumberPrefixes.map((e) => (
            <li key={e.fromYear}>
              自 {e.fromYear} 年起：{e.prefix}-{e.fromYear}-000001
              {e.fromYear > year ? (
                <Button
                  variant="link"
                  onClick={() => void save({ errors: {}, body: withoutPrefix(s.caseNumberPrefixes, e.fromYear) }, `取消 ${e.fromYear} 年起的前缀`)}
                >
                  取消
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="grid grid-2">
        <TextInput
          label="新前缀自哪一年起使用"
          hint={`${year + 1} 年或以后`}
          value={form.fromYear}
          inputMode="numeric"
          error={errors['caseNumberPrefixes.fromYear'] ?? errors.caseNumberPrefixes}
          onChange={(e) => set('fromYear', e.target.value)}
        />
        <TextInput
          label="新前缀"
          hint="1–8 位大写字母或数字"
          value={form.prefix}
          error={errors['caseNumberPrefixes.prefix'] ?? errors['caseNumberPrefixes.0.prefix']}
          onChange={(e) => set('prefix', e.target.value.toUpperCase())}
        />
      </div>
    </SectionCard>
  );
}

function ArchiveCard({ s, configured, save }: { s: SettingsView; configured: SettingsView; save: Save }) {
  const vocab = useVocab();
  const { form, set, errors, submit } = useSection<ArchiveForm>(archiveForm(s), checkArchive, '档案', save);
  const rule = (i: number, change: Partial<RetentionRuleView>) =>
    set(
      'rules',
      form.rules.map((r, j) => (j === i ? { ...r, ...change } : r)),
    );
  const toggle = (list: string[] | undefined, code: string) => (list?.includes(code) ? list.filter((c) => c !== code) : [...(list ?? []), code]);
  const outcomes = [...vocab.outcomes, { code: 'none', name: '不予受理或转送' }];
  return (
    <SectionCard
      title="档案"
      effect="归档时按顺序逐条核对保管期限规则，第一条条件全部符合的规则决定保管期限（打印在归档登记表上）；都不符合时用默认保管期限。只影响以后归档的案件，已归档的不变。"
      onSave={submit}
    >
      <div className="grid grid-2">
        <Select
          label={SETTING_LABELS['archive.defaultRetention']}
          hint={was(vocab.retentionClasses.find((o) => o.code === configured.archive.defaultRetention)?.name)}
          options={vocab.retentionClasses}
          value={form.defaultRetention}
          onChange={(e) => set('defaultRetention', e.target.value)}
        />
        <TextInput
          label={SETTING_LABELS['archive.maxLoanDays']}
          hint={<>档案借阅的最长期限（1–365天）；{was(configured.archive.maxLoanDays)}</>}
          value={form.maxLoanDays}
          inputMode="numeric"
          error={errors['archive.maxLoanDays']}
          onChange={(e) => set('maxLoanDays', e.target.value)}
        />
      </div>
      <h3>{SETTING_LABELS['archive.rules']}</h3>
      {form.rules.map((r, i) => (
        <fieldset key={i} className="rule">
          <legend>规则 {i + 1}</legend>
          <div className="grid grid-3">
            <Select
              label="集体信访"
              options={[
                { code: 'any', name: '不限' },
                { code: 'yes', name: '是（5人以上）' },
                { code: 'no', name: '否' },
              ]}
              value={r.collective === undefined ? 'any' : r.collective ? 'yes' : 'no'}
              onChange={(e) => rule(i, { collective: e.target.value === 'any' ? undefined : e.target.value === 'yes' })}
            />
            <Select label="保管期限" options={vocab.retentionClasses} value={r.retention} onChange={(e) => rule(i, { retention: e.target.value })} />
            <TextInput
              label="理由"
              value={r.reason}
              error={errors[`archive.rules.${i}.reason`] ?? errors[`archive.rules.${i}`]}
              onChange={(e) => rule(i, { reason: e.target.value })}
            />
          </div>
          <div className="checks" role="group" aria-label={`规则 ${i + 1} 问题类别`}>
            问题类别（不选为不限）：
            {vocab.categories.map((c) => (
              <label key={c.code}>
                <input
                  type="checkbox"
                  checked={r.categories?.includes(c.code) ?? false}
                  onChange={() => rule(i, { categories: toggle(r.categories, c.code) })}
                />
                {c.name}
              </label>
            ))}
          </div>
          <div className="checks" role="group" aria-label={`规则 ${i + 1} 办理结果`}>
            办理结果（不选为不限）：
            {outcomes.map((o) => (
              <label key={o.code}>
                <input type="checkbox" checked={r.outcomes?.includes(o.code) ?? false} onChange={() => rule(i, { outcomes: toggle(r.outcomes, o.code) })} />
                {o.name}
              </label>
            ))}
          </div>
          <Button variant="link" disabled={i === 0} onClick={() => set('rules', move(form.rules, i, i - 1))}>
            上移
          </Button>
          <Button
            variant="link"
            onClick={() =>
              set(
                'rules',
                form.rules.filter((_, j) => j !== i),
              )
            }
          >
            删除此规则
          </Button>
        </fieldset>
      ))}
      <Button onClick={() => set('rules', [...form.rules, { retention: '30y', reason: '' }])}>添加规则</Button>
    </SectionCard>
  );
}

function move<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [x] = out.splice(from, 1);
  if (x !== undefined) out.splice(to, 0, x);
  return out;
}

const LETTER_FIELDS: [keyof LettersForm & string, string][] = [
  ['organName', '印在文书抬头和落款'],
  ['shortName', '发文字号中的机关代字，如 江信处〔2026〕12号 的“江”'],
  ['reviewOrgan', '信访处理意见书告知信访人向其申请复查'],
  ['rereviewOrgan', '复查意见书告知信访人向其申请复核'],
  ['address', '文书正文中的机关地址'],
  ['phone', '文书正文中的联系电话'],
  ['queryUrl', '信访人凭案件编号和查询码查询的网址'],
  ['sealText', '印章区的文字'],
];

function LettersCard({ s, save }: { s: SettingsView; save: Save }) {
  const vocab = useVocab();
  const titles = Object.fromEntries(vocab.letterTypes.map((o) => [o.code, o.name]));
  const { form, set, errors, submit } = useSection<LettersForm>(lettersForm(s), (f) => checkLetters(f, titles), '文书落款与字号', save);
  return (
    <SectionCard
      title="文书落款与字号"
      effect="以后出具的文书（受理告知书、信访处理意见书、督办单等）按这些内容打印；已出具的文书不变。文书措辞在“系统管理 · 信函模板”中修改。"
      onSave={submit}
    >
      <div className="grid grid-2">
        {LETTER_FIELDS.map(([k, hint]) => (
          <TextInput
            key={k}
            label={SETTING_LABELS[`letters.${k}`]}
            hint={hint}
            value={String(form[k])}
            error={errors[`letters.${k}`]}
            onChange={(e) => set(k, e.target.value as never)}
          />
        ))}
      </div>
      <h3>{SETTING_LABELS['letters.documentNumberPatterns']}</h3>
      <p className="hint">
        {'{short}'} 机关代字，{'{year}'} 年度，{'{seq}'} 序号（必含）；留空表示该文书不编发文字号。
      </p>
      <div className="grid grid-3">
        {Object.keys(form.documentNumberPatterns).map((t) => (
          <TextInput
            key={t}
            label={titles[t] ?? t}
            value={form.documentNumberPatterns[t] ?? ''}
            error={errors[`letters.documentNumberPatterns.${t}`]}
            onChange={(e) => set('documentNumberPatterns', { ...form.documentNumberPatterns, [t]: e.target.value })}
          />
        ))}
      </div>
    </SectionCard>
  );
}
