/**
 * Case search (案件查询) over GET /cases. The query lives in the URL hash (#/search?status=assigned),
 * so back and forward replay a search and a search can be bookmarked. The API's 400 reasons are
 * shown next to the field that caused them; the form keeps what was typed.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { CaseSummary } from '@shared/app/views';
import type { Highlight } from '@shared/domain/search/document';
import { Button, Card, Empty, ErrorBanner, Loading, Page, Select, TextInput } from '../components/ui';
import { ExportButton } from '../components/ExportButton';
import { api, ApiError } from '../lib/api';
import { useLoad } from '../lib/hooks';
import type { PageProps } from '../lib/page';
import { navigate, useLocation } from '../lib/router';
import { useVocab } from '../lib/vocab';
import { CaseTable } from './case/CaseTable';
import './case/case.css';

const FIELDS = [
  'q',
  'caseNo',
  'petitionerName',
  'petitionerIdNumber',
  'petitionerPhone',
  'status',
  'deptCode',
  'category',
  'receivedFrom',
  'receivedTo',
  'dueBefore',
] as const;
type FieldName = (typeof FIELDS)[number];
type Query = Record<FieldName, string>;

const PAGE_SIZE = 30;

function fromParams(p: URLSearchParams): Query {
  return Object.fromEntries(FIELDS.map((f) => [f, p.get(f) ?? ''])) as Query;
}

function toParams(q: Query): URLSearchParams {
  const p = new URLSearchParams();
  for (const f of FIELDS) if (q[f].trim() !== '') p.set(f, q[f].trim());
  return p;
}

/** The API's issue fields ('query.receivedFrom', 'petitioner') → the form's fields. */
function fieldErrorsOf(error: unknown): Partial<Record<FieldName, string>> {
  if (!(error instanceof ApiError)) return {};
  const out: Partial<Record<FieldName, string>> = {};
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    const name = field.replace(/^query\./, '');
    if (name === 'petitioner' || name.startsWith('petitioner.')) out.petitionerName ??= message;
    else if ((FIELDS as readonly string[]).includes(name)) out[name as FieldName] ??= message;
  }
  return out;
}

type Hit = CaseSummary & { highlights?: Highlight[] };

interface Results {
  items: Hit[];
  cursor?: string;
  /** With words (q): how many cases match, exactly when totalExact, else at least that many. */
  total?: number;
  totalExact?: boolean;
}

/** 共 12 件, or 1,000+ 件 past the count's bound. */
function totalText(r: Results): string {
  return `${r.total?.toLocaleString('en-US')}${r.totalExact === false ? '+' : ''}`;
}

export default function Search({ session }: PageProps) {
  const vocab = useVocab();
  const loc = useLocation();
  const queryString = toParams(fromParams(loc.query)).toString();
  const [form, setForm] = useState<Query>(() => fromParams(loc.query));
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  const roles = session.user.roles;
  const departmentOnly = roles.includes('department') && !roles.some((r) => r === 'clerk' || r === 'director');
  const archivistOnly = roles.includes('archivist') && !roles.some((r) => r === 'clerk' || r === 'director' || r === 'department');

  // The case page is where a row leads: fetch its code while the list is read.
  useEffect(() => {
    const t = setTimeout(() => void import('./CasePage'), 300);
    return () => clearTimeout(t);
  }, []);

  // Back/forward (or a link) changed the query: show it in the form.
  useEffect(() => {
    setForm(fromParams(new URLSearchParams(queryString)));
    setLocalErrors({});
  }, [queryString]);

  const results = useLoad(
    (signal) =>
      api.get<Results>('/cases', { query: { ...Object.fromEntries(new URLSearchParams(queryString)), limit: PAGE_SIZE }, signal }).then((r) => r.data),
    [queryString],
  );
  const [items, setItems] = useState<Hit[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [more, setMore] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  useEffect(() => {
    setItems(results.data?.items ?? []);
    setCursor(results.data?.cursor);
    setMore({ busy: false });
  }, [results.data]);

  async function loadMore(): Promise<void> {
    setMore({ busy: true });
    try {
      const { data } = await api.get<Results>('/cases', { query: { ...Object.fromEntries(new URLSearchParams(queryString)), limit: PAGE_SIZE, cursor } });
      setItems((prev) => [...prev, ...data.items.filter((c) => !prev.some((p) => p.caseNo === c.caseNo))]);
      setCursor(data.cursor);
      setMore({ busy: false });
    } catch (error) {
      setMore({ busy: false, error });
    }
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    const errs: Partial<Record<FieldName, string>> = {};
    if (form.receivedFrom && form.receivedTo && form.receivedFrom > form.receivedTo) errs.receivedTo = '截止日期不能早于起始日期';
    setLocalErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const next = toParams(form).toString();
    if (next === queryString) results.reload();
    else navigate(`/search${next ? `?${next}` : ''}`);
  }

  function reset(): void {
    setLocalErrors({});
    navigate('/search');
  }

  const set = (f: FieldName) => (e: { target: { value: string } }) => setForm((q) => ({ ...q, [f]: e.target.value }));
  const errors = { ...fieldErrorsOf(results.error), ...localErrors };
  const deptOptions = departmentOnly ? vocab.departments.filter((d) => d.code === session.user.deptCode) : vocab.departments;
  const statusOptions = archivistOnly ? vocab.statuses.filter((s) => s.code === 'archived') : vocab.statuses;

  return (
    <Page title="案件查询">
      <Card>
        <form className="search-form" onSubmit={submit} aria-label="案件查询条件" noValidate>
          <div className="search-words">
            <TextInput
              label="关键词"
              name="q"
              value={form.q}
              onChange={set('q')}
              error={errors.q}
              placeholder="姓名、地名、来信中的词句、单位、案件编号或身份证号码，多个词用空格分开"
              hint={errors.q ? undefined : '只填姓名即可查到此人的全部案件；多个词须同时出现；繁体、全角亦可'}
              autoComplete="off"
            />
          </div>
          <div className="grid grid-4">
            <TextInput
              label="案件编号"
              name="caseNo"
              value={form.caseNo}
              onChange={set('caseNo')}
              error={errors.caseNo}
              placeholder={`如 ${vocab.office.caseNumberPrefix}-2026-000001`}
              autoComplete="off"
            />
            <TextInput
              label="信访人姓名"
              name="petitionerName"
              value={form.petitionerName}
              onChange={set('petitionerName')}
              error={errors.petitionerName}
              hint={errors.petitionerName ? undefined : '须同时填写身份证号码或联系电话'}
              autoComplete="off"
            />
            <TextInput
              label="身份证号码"
              name="petitionerIdNumber"
              value={form.petitionerIdNumber}
              onChange={set('petitionerIdNumber')}
              error={errors.petitionerIdNumber}
              autoComplete="off"
            />
            <TextInput
              label="联系电话"
              name="petitionerPhone"
              value={form.petitionerPhone}
              onChange={set('petitionerPhone')}
              error={errors.petitionerPhone}
              inputMode="tel"
              autoComplete="off"
            />
            <Select
              label="状态"
              name="status"
              value={form.status}
              onChange={set('status')}
              error={errors.status}
              options={statusOptions}
              placeholder="全部状态"
            />
            <Select
              label="承办单位"
              name="deptCode"
              value={form.deptCode}
              onChange={set('deptCode')}
              error={errors.deptCode}
              options={deptOptions}
              placeholder={departmentOnly ? '本单位' : '全部单位'}
            />
            <Select
              label="问题类别"
              name="category"
              value={form.category}
              onChange={set('category')}
              error={errors.category}
              // Retired categories too: their old cases are still found.
              options={vocab.categories.map((c) => (c.retired ? { code: c.code, name: `${c.name}（已停用）` } : c))}
              placeholder="全部类别"
            />
            <TextInput
              label="办理期限早于"
              name="dueBefore"
              type="date"
              value={form.dueBefore}
              onChange={set('dueBefore')}
              error={errors.dueBefore}
              hint={errors.dueBefore ? undefined : '法定办理期限在此日或之前'}
            />
            <TextInput
              label="收到日期（起）"
              name="receivedFrom"
              type="date"
              value={form.receivedFrom}
              onChange={set('receivedFrom')}
              error={errors.receivedFrom}
            />
            <TextInput label="收到日期（止）" name="receivedTo" type="date" value={form.receivedTo} onChange={set('receivedTo')} error={errors.receivedTo} />
          </div>
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={results.loading}>
              查询
            </Button>
            <Button onClick={reset}>重置</Button>
            <span className="hint">关键词可与状态、单位、类别、日期同时使用；按案件编号或信访人证件查询时不填关键词。</span>
          </div>
        </form>
      </Card>

      <Card
        actions={
          <>
            {items.length > 0 ? (
              <ExportButton
                path="/exports/forms"
                query={{
                  form: 'registration',
                  caseNos: items
                    .slice(0, 50)
                    .map((c) => c.caseNo)
                    .join(','),
                }}
                label="打印登记表"
              />
            ) : null}
            <ExportButton path="/exports/cases" query={Object.fromEntries(new URLSearchParams(queryString))} />
          </>
        }
        title={
          results.data && !results.error
            ? results.data.total !== undefined
              ? `查询结果（共 ${totalText(results.data)} 件）`
              : `查询结果（${items.length}${cursor ? '+' : ''} 件）`
            : '查询结果'
        }
      >
        <ErrorBanner error={results.error} />
        {results.loading && !results.data ? (
          <Loading />
        ) : results.error ? null : items.length === 0 ? (
          <Empty>没有符合条件的案件</Empty>
        ) : (
          <CaseTable items={items} showDepartment caption={queryString ? undefined : '最近收到的案件'} />
        )}
        <ErrorBanner error={more.error} />
        {cursor && !results.error ? (
          <div className="list-more">
            <Button onClick={() => void loadMore()} busy={more.busy}>
              加载更多
            </Button>
          </div>
        ) : null}
      </Card>
    </Page>
  );
}
