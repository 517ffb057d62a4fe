/**
 * Search benchmark (issue 14): indexes 100,000 cases (SEARCH_BENCH_CASES) into an in-memory
 * DynamoDB Local of its own and measures a fixed query set at 10,000 and at 100,000 cases.
 *
 * The cases: the 52 hand-written cases of the relevance corpus (test/support/search-corpus.ts)
 * among the first 10,000, and generated ones — names, places, companies and matters drawn from
 * pools that share none of the corpus's names and places, a subject, a summary and a one-paragraph
 * letter each, 60% assigned to a department. They are written directly (BatchWriteItem), through
 * the indexer's own code: each case's postings are `DynamoDbSearchIndex.postingsOf` — what a
 * refresh writes — merged per block of 1,000 cases (`DynamoDbSearchIndex.bulkItems`).
 *
 * The queries: names, places and phrases whose cases are all in the corpus (their matches stay the
 * same when the table grows tenfold), and common words whose matches grow with it. Each query runs
 * through the use case (CaseSearch: candidates, documents checked, ranked, one page of case items)
 * as the clerk; items read and read capacity as DynamoDB reports them (Count, ConsumedCapacity).
 *
 *   npm run bench -- search                     (SEARCH_BENCH_CASES=20000 for a quicker run)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BenchResult } from './result';
import { LOCAL_CREDENTIALS, ensureTable, startDynamoDbLocal } from '../local/emulators';
import { caseItem, casePartItems, documentClient } from '../shared/adapters/dynamodb-repository';
import { documentItem, DynamoDbSearchIndex, type Posting } from '../shared/adapters/search-index';
import { CaseSearch } from '../shared/app/search';
import { RegistrationSchema, type Case } from '../shared/domain/case';
import { officeCalendar } from '../shared/domain/clocks';
import { formatCaseNumber } from '../shared/domain/numbers';
import { officeDirectory, parseOfficeSettings } from '../shared/domain/office';
import { newCase } from '../shared/domain/registration';
import type { Actor } from '../shared/domain/roles';
import { searchDocument } from '../shared/domain/search/document';
import { FakeClock } from '../shared/domain/time';
import { CORPUS, registrationOf } from '../test/support/search-corpus';

const CASES = Number(process.env.SEARCH_BENCH_CASES ?? 100_000);
const FIRST = Math.min(10_000, CASES);
const TABLE = 'xf-bench-search';
const PII_KEY = 'bench-search-pii-key';

const clerk: Actor = { userId: 'bench-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
const DEPARTMENTS = ['HRSS', 'HOUSING', 'NATRES', 'ECO', 'CIVIL', 'AGRI', 'POLICE', 'URBAN'];

/** The fixed query set: `fixed` ones find only corpus cases (same matches at 10k and 100k). */
const QUERY_SET: { q: string; fixed: boolean }[] = [
  { q: '张建华', fixed: true },
  { q: '孙国庆', fixed: true },
  { q: '范永刚', fixed: true },
  { q: '石门镇', fixed: true },
  { q: '柳树屯村', fixed: true },
  { q: '路面破损', fixed: true },
  { q: '征地补偿款', fixed: true },
  { q: '噪音扰民', fixed: true },
  { q: 'G320', fixed: true },
  { q: '5G基站', fixed: true },
  { q: '金沙湾 物业', fixed: true },
  { q: '血汗钱', fixed: true },
  { q: '13812345678', fixed: true },
  { q: '拖欠 工资', fixed: false },
  { q: '物业费', fixed: false },
  { q: '养老保险', fixed: false },
];

// ---- the generated cases: pools that share no name or place with the corpus -----------------

const SURNAMES = '王李刘杨黄吴周徐马朱郭罗谢韩曹彭田董潘蒋余叶程魏吕丁任姚卢姜崔谭陆金石廖贾韦付白邹孟熊秦邱江尹段雷侯龙史陶黎贺顾毛郝龚邵万严覃武莫孔向汤';
const GIVEN_1 = '志文明海晓秀丽玉春永德红美俊雪子佳思嘉宏立少光';
const GIVEN_2 = '刚强伟平军芳英兰梅敏霞杰勇辉峰斌林云飞宇鹏琴娟洁娜静磊超';
const TOWNS = [
  '东城街道',
  '西城街道',
  '南湖镇',
  '北山镇',
  '临江镇',
  '望海乡',
  '松林镇',
  '枫桥镇',
  '河口镇',
  '云岭乡',
  '桃源镇',
  '龙泉街道',
  '凤鸣镇',
  '清水乡',
  '红星街道',
  '长岭镇',
];
const VILLAGES = [
  '李家村',
  '王庄村',
  '大河村',
  '小河村',
  '后营村',
  '前进村',
  '新民村',
  '和平村',
  '团结村',
  '胜利村',
  '双桥村',
  '三合村',
  '五里村',
  '杨柳村',
  '梨花村',
  '杏林村',
];
const STREETS = ['人民路', '解放路', '中山路', '建国路', '文化路', '光明路', '朝阳路', '长江路', '黄河路', '滨江大道'];
const ESTATES = ['阳光小区', '锦绣花园', '翠苑小区', '碧水花园', '滨江华府', '御景小区', '香樟花园', '丽景小区', '紫薇花园', '康乐小区'];
const COMPANIES = [
  '江川金盛建筑公司',
  '临江恒通劳务公司',
  '望海中天置业公司',
  '云岭鑫源运输公司',
  '江川瑞丰物业公司',
  '临江广厦建筑公司',
  '江川华建市政公司',
  '望海宏远商贸公司',
];

type Gen = { category: string; subject: string; summary: string; fullText: string };
const MATTERS: ((r: () => number, p: (xs: readonly string[]) => string) => Gen)[] = [
  (r, p) => ({
    category: 'labour',
    subject: `请求解决${p(COMPANIES)}拖欠工资问题`,
    summary: `信访人反映在${p(COMPANIES)}承建的${p(ESTATES)}项目务工，被拖欠工资${1 + Math.floor(r() * 9)}万元，多次讨要未果。`,
    fullText: `我们一共${5 + Math.floor(r() * 20)}人在工地干了${3 + Math.floor(r() * 8)}个月，包工头说甲方没有结账，一直拖着不给钱，请领导帮忙协调。`,
  }),
  (r, p) => ({
    category: 'urban',
    subject: `${p(ESTATES)}物业费上涨问题`,
    summary: `${p(ESTATES)}物业公司未经业主同意上调物业费，服务质量却没有提高，电梯经常停运。`,
    fullText: `业主多次向物业公司反映，物业公司置之不理，还以停水相威胁，请求住建部门查处。`,
  }),
  (r, p) => ({
    category: 'land',
    subject: `${p(VILLAGES)}土地征收补偿问题`,
    summary: `${p(TOWNS)}${p(VILLAGES)}部分土地被征收用于道路建设，补偿标准偏低，青苗费至今未发放。`,
    fullText: `征收时村里开过会，说每亩补偿${2 + Math.floor(r() * 6)}万元，实际只发了一半，剩下的说要等项目验收。`,
  }),
  (r, p) => ({
    category: 'environment',
    subject: `${p(STREETS)}餐馆油烟扰民`,
    summary: `${p(STREETS)}沿街餐馆油烟直排，附近居民无法开窗，夜间还有噪声。`,
    fullText: `我家住在${p(ESTATES)}，楼下新开的餐馆没有安装油烟净化设备，老人孩子都被熏得咳嗽。`,
  }),
  (r, p) => ({
    category: 'labour',
    subject: '养老保险待遇核定问题',
    summary: `信访人在${p(COMPANIES)}工作期间的养老保险缴费记录有中断，退休后养老金核定偏低。`,
    fullText: `单位当年没有按时给我们缴费，现在社保部门说要补缴，补缴的钱应该由单位承担。`,
  }),
  (r, p) => ({
    category: 'assistance',
    subject: '申请最低生活保障问题',
    summary: `${p(TOWNS)}信访人家庭困难，丈夫因病去世，申请低保未获批准。`,
    fullText: `家里还有两个孩子上学，我身体也不好，不能干重活，希望政府给予救助。`,
  }),
  (r, p) => ({
    category: 'urban',
    subject: `${p(STREETS)}路段坑洼积水`,
    summary: `${p(STREETS)}部分路段坑洼不平，下雨积水，行人和车辆通行困难。`,
    fullText: `这段路已经坏了${1 + Math.floor(r() * 3)}年，附近有学校，孩子们上学很不安全，请尽快维修。`,
  }),
  (r, p) => ({
    category: 'rural',
    subject: `${p(VILLAGES)}宅基地纠纷`,
    summary: `${p(VILLAGES)}村民建房占用信访人宅基地，村委会调解无果。`,
    fullText: `这块宅基地是我家几十年前分的，有证件为证，对方仗着人多强行施工。`,
  }),
  (r, p) => ({
    category: 'urban',
    subject: `${p(ESTATES)}冬季供暖不热`,
    summary: `${p(ESTATES)}室内温度长期不达标，供热公司推诿。`,
    fullText: `家里老人冻得生病，暖气片摸着是凉的，打了很多次电话都说在排查。`,
  }),
  (r) => ({
    category: 'law',
    subject: '民间借贷纠纷执行难',
    summary: `信访人借给他人${5 + Math.floor(r() * 40)}万元，法院判决后对方拒不履行，申请执行一年未果。`,
    fullText: `对方名下明明有房有车，却说没有财产可供执行，请求督促法院依法执行。`,
  }),
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const corpusNames = new Set(CORPUS.flatMap((c) => [...c.names, ...(c.representatives ?? [])]));

function generated(serial: number): { draft: unknown; dept?: string } {
  const r = rng(serial * 7919);
  const p = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  let name = '';
  do name = `${p([...SURNAMES])}${p([...GIVEN_1])}${p([...GIVEN_2])}`;
  while (corpusNames.has(name));
  const m = p(MATTERS)(r, p);
  const month = 1 + Math.floor(r() * 5);
  const day = 1 + Math.floor(r() * 28);
  return {
    draft: {
      petitioners: [{ name }],
      persons: 1,
      channel: { type: 'letter' },
      itemType: 'request-appeal',
      category: m.category,
      subject: m.subject,
      summary: m.summary,
      fullText: m.fullText,
      receivedOn: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    },
    ...(r() < 0.6 ? { dept: p(DEPARTMENTS) } : {}),
  };
}

function buildCase(serial: number, draft: unknown, dept: string | undefined): Case {
  const caseNo = formatCaseNumber('XF', 2026, serial);
  const parsed = RegistrationSchema.parse(draft);
  const { case: c } = newCase(parsed, {
    caseNo,
    queryCodeHash: 'q',
    petitionerKeys: [],
    earlier: [],
    actor: clerk,
    now: new Date('2026-06-01T02:00:00Z'),
    clocks: { calendar: officeCalendar },
  });
  const base = { ...c, auditSeq: 1, auditHead: 'a'.repeat(64) };
  return dept ? { ...base, status: 'assigned', deptCode: dept, departmentHistory: [dept] } : base;
}

/** Which serials carry the corpus cases: spread over the first 10,000. */
function corpusSerials(): Map<number, (typeof CORPUS)[number]> {
  const step = Math.floor(FIRST / (CORPUS.length + 1));
  return new Map(CORPUS.map((c, i) => [step * (i + 1), c]));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult[]> {
  const ddb = await startDynamoDbLocal({ port: 0, javaOptions: ['-Xmx4g', '-XX:+UseParallelGC'] });
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });
  try {
    await ensureTable(client, TABLE);
    const db = documentClient(client);
    const settings = parseOfficeSettings(undefined);
    const index = new DynamoDbSearchIndex(db, TABLE, { piiKey: PII_KEY, office: officeDirectory(settings) });
    const search = new CaseSearch({ index, piiKey: PII_KEY, settings, clock: new FakeClock('2026-06-01T02:00:00Z') });
    const corpus = corpusSerials();

    let serial = 0;
    let postings = 0;
    let postingItems = 0;
    const seedStart = performance.now();
    /** Seeds up to `upTo` cases, a block of 1,000 case numbers at a time. */
    const seed = async (upTo: number) => {
      while (serial < upTo) {
        const entries: { caseNo: string; postings: Posting[] }[] = [];
        const items: Record<string, unknown>[] = [];
        const end = Math.min(upTo, (Math.floor(serial / 1000) + 1) * 1000);
        while (serial < end) {
          serial += 1;
          const planted = corpus.get(serial);
          const { draft, dept } = planted ? { draft: registrationOf(planted), dept: planted.dept } : generated(serial);
          const c = buildCase(serial, draft, dept);
          const doc = searchDocument(c);
          const ps = index.postingsOf(doc, c);
          postings += ps.length;
          entries.push({ caseNo: c.caseNo, postings: ps });
          items.push(caseItem({ ...c, fullText: '' }), documentItem(doc));
          for (const part of casePartItems(TABLE, null, c)) if (part.Put) items.push(part.Put.Item as Record<string, unknown>);
        }
        const blocks = DynamoDbSearchIndex.bulkItems(entries);
        postingItems += blocks.length;
        await index.putAll([...items, ...blocks], 16);
        process.stdout.write(`\r  seeded ${serial}/${CASES} cases (${postingItems} postings items)`);
      }
    };

    const measure = async (label: string) => {
      const rows: { q: string; fixed: boolean; total: number; exact: boolean; items: number; capacity: number; ms: number }[] = [];
      for (const { q, fixed } of QUERY_SET) {
        await search.search(clerk, { q, limit: 20 }); // warm
        const cost = { items: 0, capacity: 0 };
        const start = performance.now();
        const page = await search.search(clerk, { q, limit: 20 }, cost);
        rows.push({ q, fixed, total: page.total, exact: page.totalExact, items: cost.items, capacity: cost.capacity, ms: performance.now() - start });
      }
      console.log(`\n  at ${label} cases:`);
      for (const r of rows)
        console.log(
          `    ${r.q.padEnd(14)} ${r.fixed ? 'fixed ' : 'common'} matches ${String(r.total).padStart(5)}${r.exact ? ' ' : '+'}  items read ${String(r.items).padStart(6)}  RCU ${String(round(r.capacity)).padStart(8)}  ${round(r.ms)} ms`,
        );
      return rows;
    };

    await seed(FIRST);
    const at10k = await measure(String(FIRST));
    await seed(CASES);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const atAll = await measure(String(CASES));
    for (const [a, b] of at10k.map((r, i) => [r, atAll[i]] as const)) {
      if (b && a.fixed && a.total !== b.total)
        throw new Error(
          `the fixed query ${a.q} found ${a.total} at ${FIRST} cases and ${b.total} at ${CASES}: the generated cases are not disjoint from the corpus`,
        );
    }
    return [
      { name: 'search.cases', value: serial, unit: 'cases' },
      { name: 'search.seed-seconds', value: round(seedSeconds), unit: 's' },
      { name: 'search.index-items-per-case', value: round((postingItems + serial) / serial, 2), unit: 'items (postings blocks and search document)' },
      { name: 'search.index-writes-per-case', value: round(postings / serial, 1), unit: 'postings updates (scope × term) a refresh makes' },
      { name: 'search.query.ms', value: round(median(atAll.map((r) => r.ms))), unit: 'ms (median over the query set)' },
      { name: 'search.query.items-read', value: median(atAll.map((r) => r.items)), unit: 'items (median over the query set)' },
      { name: 'search.query.read-capacity', value: round(median(atAll.map((r) => r.capacity))), unit: 'RCU (median over the query set)' },
      { name: 'search.query.items-read.10k', value: median(at10k.map((r) => r.items)), unit: 'items (median, 10,000 cases)' },
      { name: 'search.query.items-read.100k', value: median(atAll.map((r) => r.items)), unit: `items (median, ${CASES} cases)` },
      {
        name: 'search.query.fixed-matches.items-read.10k',
        value: median(at10k.filter((r) => r.fixed).map((r) => r.items)),
        unit: 'items (median of the queries whose matches stay the same)',
      },
      {
        name: 'search.query.fixed-matches.items-read.100k',
        value: median(atAll.filter((r) => r.fixed).map((r) => r.items)),
        unit: 'items (median of the queries whose matches stay the same)',
      },
    ];
  } finally {
    client.destroy();
    await ddb.stop();
  }
}
