/**
 * 档案检索 (#/archive): archivists search archived packages (GET /archive/search) by archive
 * number, year, case number, petitioner (ID number, or name + phone), category, department or
 * retention class; each criterion is one Query on the server. Results page with the API's cursor.
 * The submitted criteria live in the URL, so going back from a package shows the same results.
 */
import type { FormEvent } from 'react';
import { api } from '../../lib/api';
import { chineseDate } from '../../lib/format';
import { useDraft, useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { Link, navigate, useLocation } from '../../lib/router';
import { useLabels, useVocab } from '../../lib/vocab';
import { Button, Card, Empty, ErrorBanner, Loading, Page, Select, Table, TextInput } from '../../components/ui';
import { fieldErrorsOf, keptUntil, packageLink, RetentionBadge, type ArchiveSummary, type Page as ResultPage, Pager, useCursorPages } from './shared';

const FIELDS = ['archiveNo', 'year', 'caseNo', 'petitionerName', 'petitionerIdNumber', 'petitionerPhone', 'category', 'deptCode', 'retention'] as const;
type Criteria = Record<(typeof FIELDS)[number], string>;
const EMPTY: Criteria = {
  archiveNo: '',
  year: '',
  caseNo: '',
  petitionerName: '',
  petitionerIdNumber: '',
  petitionerPhone: '',
  category: '',
  deptCode: '',
  retention: '',
};
const PAGE_SIZE = 20;

function fromQuery(q: URLSearchParams): Criteria {
  const out = { ...EMPTY };
  for (const f of FIELDS) out[f] = q.get(f) ?? '';
  return out;
}

function toQuery(c: Criteria): string {
  const q = new URLSearchParams();
  for (const f of FIELDS) if (c[f].trim()) q.set(f, c[f].trim());
  return q.toString();
}

export default function ArchiveSearch(_props: PageProps) {
  const vocab = useVocab();
  const L = useLabels();
  const location = useLocation();
  const queryString = toQuery(fromQuery(location.query));
  const [form, setForm] = useDraft<Criteria>('archive-search', fromQuery(location.query));
  const pages = useCursorPages(queryString);

  const results = useLoad(
    (signal) => {
      const c = fromQuery(new URLSearchParams(queryString));
      const query: Record<string, string | number | undefined> = { limit: PAGE_SIZE, cursor: pages.current };
      for (const f of FIELDS) if (c[f]) query[f] = c[f];
      return api.get<ResultPage<ArchiveSummary>>('/archive/search', { query, signal }).then((r) => r.data);
    },
    [queryString, pages.current],
  );

  // The petitioner search reports a missing name/phone pair on `petitioner`.
  const errors: Partial<Record<keyof Criteria | 'petitioner', string>> = fieldErrorsOf(results.error);
  const set = (f: keyof Criteria) => (e: { target: { value: string } }) => setForm((prev) => ({ ...prev, [f]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = toQuery(form);
    pages.first();
    if (q === queryString) results.reload();
    else navigate(`/archive${q ? `?${q}` : ''}`);
  };
  const reset = () => {
    setForm(EMPTY);
    navigate('/archive');
  };

  return (
    <Page
      title="档案检索"
      actions={
        <>
          <Link className="btn" to="/archive/pending">
            待归档
          </Link>
          <Link className="btn" to="/archive/disposal">
            到期鉴定
          </Link>
          <Link className="btn" to="/archive/fixity">
            完整性检查
          </Link>
        </>
      }
    >
      <Card title="检索条件">
        <form className="archive-search-form" onSubmit={submit} role="search" aria-label="档案检索">
          <div className="grid grid-3">
            <TextInput
              label="档号"
              name="archiveNo"
              value={form.archiveNo}
              onChange={set('archiveNo')}
              placeholder="如 X001-2026-D30-0001"
              error={errors.archiveNo}
              autoComplete="off"
            />
            <TextInput
              label="年度"
              name="year"
              inputMode="numeric"
              value={form.year}
              onChange={set('year')}
              placeholder="如 2026"
              error={errors.year}
              autoComplete="off"
            />
            <TextInput
              label="案件编号"
              name="caseNo"
              value={form.caseNo}
              onChange={set('caseNo')}
              placeholder="如 XF-2026-000001"
              error={errors.caseNo}
              autoComplete="off"
            />
            <TextInput
              label="信访人姓名"
              name="petitionerName"
              value={form.petitionerName}
              onChange={set('petitionerName')}
              error={errors.petitionerName ?? errors.petitioner}
              hint="与联系电话一并填写"
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
              inputMode="tel"
              value={form.petitionerPhone}
              onChange={set('petitionerPhone')}
              error={errors.petitionerPhone}
              autoComplete="off"
            />
            <Select
              label="问题类别"
              name="category"
              value={form.category}
              onChange={set('category')}
              options={vocab.categories}
              placeholder="全部"
              error={errors.category}
            />
            <Select
              label="承办单位"
              name="deptCode"
              value={form.deptCode}
              onChange={set('deptCode')}
              options={vocab.departments}
              placeholder="全部"
              error={errors.deptCode}
            />
            <Select
              label="保管期限"
              name="retention"
              value={form.retention}
              onChange={set('retention')}
              options={vocab.retentionClasses}
              placeholder="全部"
              error={errors.retention}
            />
          </div>
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={results.loading}>
              检索
            </Button>
            <Button onClick={reset}>清空条件</Button>
            <span className="hint">按信访人检索：填写身份证号码，或同时填写姓名和联系电话。不填条件则列出最近归档的案件。</span>
          </div>
        </form>
      </Card>

      <Card title="检索结果">
        <ErrorBanner error={results.error} />
        {results.loading && !results.data ? <Loading /> : null}
        {results.data && results.data.items.length === 0 && !results.error ? <Empty>没有符合条件的归档案件</Empty> : null}
        {results.data && results.data.items.length > 0 && !results.error ? (
          <Table head={['档号', '案件编号', '年度', '题名 / 信访人', '问题类别', '承办单位', '保管期限', '保管期满']}>
            {results.data.items.map((s) => (
              <tr key={s.archiveNo}>
                <td>
                  <Link className="archive-no" to={packageLink(s.archiveNo)}>
                    {s.archiveNo}
                  </Link>
                </td>
                <td className="archive-no">{s.caseNo}</td>
                <td>{s.year}</td>
                <td className="archive-subject">
                  {s.subject}
                  <small>{s.petitioners.join('、')}</small>
                </td>
                <td>{L.category(s.category)}</td>
                <td>{s.departments.map((d) => L.department(d)).join('、')}</td>
                <td>
                  <RetentionBadge retention={s.retention} label={s.retentionLabel} />
                </td>
                <td className="archive-date">{s.retentionEnds ? chineseDate(keptUntil(s.retentionEnds)) : <span className="muted">永久保存</span>}</td>
              </tr>
            ))}
          </Table>
        ) : null}
        {results.data && !results.error ? <Pager pages={pages} nextCursor={results.data.cursor} busy={results.loading} showPage /> : null}
      </Card>
    </Page>
  );
}
