/**
 * 节假日日历 (#/admin/calendar, admin): the holiday calendar as office data. Pick a year, see where
 * it comes from (shipped, loaded by the office, or provisional: derived from the statutory
 * holidays, with the rule), type or paste the notice's holiday blocks and make-up working days,
 * preview what saving would move (POST /admin/calendar/{year}/preview: nothing is written), and
 * save (PUT /admin/calendar/{year}): in effect at once, and every open provisional date it moves
 * is re-derived with an audit event and a notice to the department. See docs/clocks.md.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CalendarEffect, CalendarYearView, RecomputeReport } from '../../../../shared/app/calendar';
import { api } from '../../lib/api';
import { chineseDate } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { Button, Card, ErrorBanner, Loading, Notice, Page, Select, Table, TextArea, TextInput } from '../../components/ui';

interface Overview {
  today: string;
  years: CalendarYearView[];
}

const STATUS_TEXT: Record<CalendarYearView['status'], string> = {
  shipped: '已发布（系统内置）',
  loaded: '已录入（本机关维护）',
  provisional: '暂定（按法定节假日推算）',
};

const CLOCK_TEXT: Record<string, string> = {
  notify: '受理告知期限',
  transferObjection: '转送交办异议期限',
  handling: '办理期限',
  departmentDue: '承办单位办理期限',
  reviewRequestWindow: '复查申请期限',
  reviewDecision: '复查期限',
  rereviewRequestWindow: '复核申请期限',
  rereviewDecision: '复核期限',
};

const DATE = /\d{4}-\d{2}-\d{2}/g;
const BLOCK = /^\s*(\d{4}-\d{2}-\d{2})\s*(?:至|到|~|～|—|–)\s*(\d{4}-\d{2}-\d{2})\s*$/;

/**
 * The dates in what was typed or pasted: one per line or separated by spaces, commas or 、; a
 * block as `2027-02-05至2027-02-12` (or `~`) stands for every day of it. Sorted, each once; the
 * server checks that each is a real date of the year.
 */
function parseDates(text: string): string[] {
  const out = new Set<string>();
  for (const part of text.split(/[\n,，、;；]+/)) {
    const block = BLOCK.exec(part);
    if (block?.[1] && block[2] && block[1] <= block[2] && block[2] < '9999') {
      for (let d = block[1], n = 0; d <= block[2] && n < 366; d = nextDay(d), n++) out.add(d);
    } else for (const d of part.match(DATE) ?? []) out.add(d);
  }
  return [...out].sort();
}

function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return '9999-12-31';
  return new Date(t + 86_400_000).toISOString().slice(0, 10);
}

/** Consecutive days as blocks, for editing: `2027-02-05至2027-02-12`. */
function asBlocks(dates: string[]): string {
  const lines: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  for (const d of dates) {
    if (start && prev && nextDay(prev) === d) {
      prev = d;
      continue;
    }
    if (start && prev) lines.push(start === prev ? start : `${start}至${prev}`);
    start = d;
    prev = d;
  }
  if (start && prev) lines.push(start === prev ? start : `${start}至${prev}`);
  return lines.join('\n');
}

export default function AdminCalendar(_props: PageProps) {
  const overview = useLoad((signal) => api.get<Overview>('/admin/calendar', { signal }).then((r) => r.data), []);
  const [year, setYear] = useState<number | undefined>();
  const years = overview.data?.years ?? [];
  const selected = years.find((y) => y.year === year);
  useEffect(() => {
    if (year === undefined && years.length > 0) setYear((years.find((y) => y.status === 'provisional') ?? years[years.length - 1])?.year);
  }, [years, year]);

  return (
    <Page title="节假日日历">
      <p className="archive-help">
        办理期限按国务院办公厅公布的节假日安排计算。尚未公布的年份，按《全国年节及纪念日放假办法》规定的法定节假日（含补假）暂定，不含调休，相关期限标注“暂定”。通知公布后，在此录入该年的放假日期和调休上班日期：保存后立即生效，受影响的未结案件期限自动重新计算，记入审计记录并通知承办单位。
      </p>
      <ErrorBanner error={overview.error} />
      {overview.loading && !overview.data ? <Loading /> : null}
      {years.length > 0 ? (
        <Card>
          <Select
            label="年份"
            value={year === undefined ? '' : String(year)}
            onChange={(e) => setYear(Number(e.target.value))}
            options={years.map((y) => ({ code: String(y.year), name: `${y.year}年 · ${STATUS_TEXT[y.status]}` }))}
          />
        </Card>
      ) : null}
      {selected ? <YearEditor key={`${selected.year}-${selected.status}-${selected.updatedAt ?? ''}`} view={selected} onSaved={overview.reload} /> : null}
    </Page>
  );
}

function YearEditor({ view, onSaved }: { view: CalendarYearView; onSaved: () => void }) {
  const [holidays, setHolidays] = useState(view.status === 'provisional' ? '' : asBlocks(view.holidays));
  const [makeup, setMakeup] = useState(view.status === 'provisional' ? '' : view.makeupWorkdays.join('\n'));
  const [source, setSource] = useState(view.status === 'loaded' ? (view.source ?? '') : '');
  const [effect, setEffect] = useState<CalendarEffect | undefined>();
  const [saved, setSaved] = useState<RecomputeReport | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'preview' | 'save' | undefined>();
  const body = useMemo(() => ({ holidays: parseDates(holidays), makeupWorkdays: parseDates(makeup), source: source.trim() }), [holidays, makeup, source]);
  const previewed = effect !== undefined && JSON.stringify(body) === JSON.stringify(previewedBody(effect));

  async function run(kind: 'preview' | 'save'): Promise<void> {
    setBusy(kind);
    setError(undefined);
    try {
      if (kind === 'preview') {
        const r = await api.post<CalendarEffect>(`/admin/calendar/${view.year}/preview`, body);
        bodies.set(r.data, body);
        setEffect(r.data);
        setSaved(undefined);
      } else {
        const r = await api.put<{ recompute: RecomputeReport }>(`/admin/calendar/${view.year}`, body);
        setSaved(r.data.recompute);
        setEffect(undefined);
        if (r.data.recompute.complete) onSaved();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <Card title={`${view.year}年 · ${STATUS_TEXT[view.status]}`}>
        {view.status === 'provisional' && view.derivation ? (
          <Notice kind="warn">
            {view.year}年节假日安排尚未录入。期限暂按{view.derivation.citation}推算：
            {[...view.derivation.holidays, ...view.derivation.madeUp].map((d) => `${d.name} ${chineseDate(d.date)}`).join('；')}。不含调休，公布后请录入。
          </Notice>
        ) : null}
        {view.status !== 'provisional' ? (
          <p className="archive-help">
            来源：{view.source ?? '—'}
            {view.updatedBy ? `（${view.updatedBy} 录入于 ${chineseDate(view.updatedAt)}）` : ''}
          </p>
        ) : null}
        <TextArea
          label="放假日期"
          hint="每行一个日期或一段假期，如 2027-02-05至2027-02-12；含假期内的周末"
          rows={8}
          value={holidays}
          onChange={(e) => setHolidays(e.target.value)}
        />
        <TextArea label="调休上班日期" hint="调休上班的周六、周日，每行一个" rows={3} value={makeup} onChange={(e) => setMakeup(e.target.value)} />
        <TextInput label="通知文号" hint="如 国办发明电〔2026〕12号" value={source} onChange={(e) => setSource(e.target.value)} />
        <p className="archive-help">
          共 {body.holidays.length} 个放假日、{body.makeupWorkdays.length} 个调休上班日。
        </p>
        <ErrorBanner error={error} />
        <div className="form-actions">
          <Button onClick={() => void run('preview')} busy={busy === 'preview'}>
            预览影响
          </Button>
          <Button variant="primary" onClick={() => void run('save')} busy={busy === 'save'} disabled={!previewed}>
            保存并重新计算期限
          </Button>
        </div>
      </Card>
      {effect && previewed ? <Effect effect={effect} /> : null}
      {saved ? (
        <Notice kind={saved.complete ? 'success' : 'warn'}>
          已保存{view.year}年节假日安排：重新计算 {saved.casesUpdated} 个案件，调整 {saved.clocksMoved} 个期限，发出 {saved.notices} 条通知。
          {saved.complete ? '' : '尚未全部完成，请再次保存以继续。'}
        </Notice>
      ) : null}
    </>
  );
}

const bodies = new WeakMap<CalendarEffect, unknown>();
function previewedBody(effect: CalendarEffect): unknown {
  return bodies.get(effect);
}

function Effect({ effect }: { effect: CalendarEffect }) {
  return (
    <Card title="预览：保存后的影响（尚未保存）">
      <p>
        检查未结期限 {effect.clocksChecked} 个，其中 {effect.provisionalCases} 个案件有按{effect.year}年暂定推算的期限；
        <strong>
          {' '}
          将调整 {effect.casesMoved} 个案件的 {effect.clocksMoved} 个期限
        </strong>
        {effect.shifts.length > 0 ? `：${effect.shifts.map((s) => `${s.days > 0 ? '顺延' : '提前'}${Math.abs(s.days)}日 ${s.clocks}个`).join('，')}` : ''}。
      </p>
      {effect.moved.length > 0 ? (
        <Table head={['案件编号', '期限', '原届满日', '新届满日', '变化']}>
          {effect.moved.map((m) => (
            <tr key={`${m.caseNo}-${m.kind}`}>
              <td>{m.caseNo}</td>
              <td>{CLOCK_TEXT[m.kind] ?? m.kind}</td>
              <td>{chineseDate(m.from)}</td>
              <td>{chineseDate(m.to)}</td>
              <td>{m.days > 0 ? `顺延${m.days}日` : `提前${-m.days}日`}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
