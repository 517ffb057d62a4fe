/**
 * Realistic demo cases (Chinese names, subjects and summaries) at every stage of the lifecycle,
 * driven through the registry's own use cases on a fake clock, so every case has a true audit
 * trail and clocks computed by the engine. The same cases for a given seed: each case draws from
 * its own generator, seeded in order, so the cases do not depend on the order they are written in.
 *
 * Several cases are written at once (`concurrency`, default 12): each runs on its own time, kept
 * in an AsyncLocalStorage that the given clock reads while seeding (the clock the runtime's use
 * cases read), so one case's step on 3 May does not date another's step on 9 July. Case numbers
 * follow the order the registrations are numbered in (in turn: shared/app/number-turns.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Registry } from '../shared/app/registry';
import type { Action } from '../shared/domain/actions';
import { RegistrationSchema, type RegistrationInput } from '../shared/domain/case';
import { idNumberCheckChar } from '../shared/domain/pii-validation';
import { addDays, daysBetween, type FakeClock } from '../shared/domain/time';
import type { Actor } from '../shared/domain/roles';
import { DEFAULT_DEPARTMENTS } from '../shared/domain/office';
import { DEFAULT_LOCALITIES, LEVEL_CHANNELS, type Locality, type PetitionLevel } from '../shared/domain/taxonomy';
import { DEMO_USERS } from './demo-users';
import { parseInput } from '../shared/domain/validation';
import { parseActionBody } from '../shared/app/action-body';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = [
  '建华',
  '秀英',
  '桂兰',
  '志强',
  '丽娟',
  '海燕',
  '国庆',
  '建军',
  '玉梅',
  '文斌',
  '春花',
  '永福',
  '德明',
  '淑珍',
  '明亮',
  '红梅',
  '晓东',
  '金凤',
  '振华',
  '美玲',
  '卫东',
  '兰英',
  '国华',
  '小红',
  '家豪',
  '思远',
  '子涵',
  '雨欣',
  '浩然',
  '俊杰',
];
const STREETS = ['星云路', '抚仙路', '江城大道', '建设路', '人民路', '宁海路', '前卫街', '雄关路', '龙泉路', '学府路'];
const TOWNS = ['宁海街道', '大街街道', '江城镇', '前卫镇', '九溪镇', '路居镇', '雄关乡', '安化乡'];

interface Topic {
  category: string;
  itemType: RegistrationInput['itemType'];
  dept: string;
  subjects: string[];
  summary: (name: string, place: string) => string;
  accused?: { name: string; deptCode?: string };
}

const TOPICS: Topic[] = [
  {
    category: 'labour',
    itemType: 'request-appeal',
    dept: 'HRSS',
    subjects: ['请求协调解决拖欠工资问题', '反映某建筑工地拖欠农民工工资', '请求补缴养老保险', '反映用人单位未签订劳动合同'],
    summary: (n, p) => `${n}反映其在${p}某建筑工地务工期间，包工头拖欠其工资2.6万元，多次讨要未果，请求有关部门协调解决。`,
  },
  {
    category: 'rural',
    itemType: 'request-appeal',
    dept: 'AGRI',
    subjects: ['反映土地承包经营权纠纷', '请求落实耕地地力保护补贴', '反映村集体收益分配不公'],
    summary: (n, p) => `${n}反映${p}某村在土地承包经营权调整中未按规定程序进行，其家庭承包地被调减1.5亩，请求依法予以纠正。`,
  },
  {
    category: 'land',
    itemType: 'request-appeal',
    dept: 'NATRES',
    subjects: ['对征地补偿标准有异议', '反映房屋征收补偿款未足额发放', '请求核实宅基地确权面积'],
    summary: (n, p) => `${n}反映其位于${p}的房屋在片区改造征收中，补偿款至今尚有8万元未发放到位，请求督促落实。`,
  },
  {
    category: 'urban',
    itemType: 'request-appeal',
    dept: 'HOUSING',
    subjects: ['反映小区物业服务问题', '反映商品房逾期交房', '请求解决老旧小区加装电梯问题', '反映房屋漏水维修问题'],
    summary: (n, p) => `${n}反映${p}某小区开发商逾期交房已超过一年，购房户多次与开发商协商无果，请求有关部门督促开发商履行合同义务。`,
  },
  {
    category: 'urban',
    itemType: 'suggestion',
    dept: 'URBAN',
    subjects: ['建议增设公共停车位', '建议整治占道经营', '建议完善夜间路灯照明'],
    summary: (n, p) => `${n}建议在${p}周边增设公共停车位并规范停车管理，缓解早晚高峰期间车辆乱停乱放问题。`,
  },
  {
    category: 'assistance',
    itemType: 'request-appeal',
    dept: 'CIVIL',
    subjects: ['申请最低生活保障', '请求给予临时救助', '反映残疾人补贴未发放'],
    summary: (n, p) => `${n}反映其家庭因病致贫，居住在${p}，家庭人均收入低于当地最低生活保障标准，请求纳入最低生活保障范围。`,
  },
  {
    category: 'environment',
    itemType: 'request-appeal',
    dept: 'ECO',
    subjects: ['反映企业夜间排放异味', '反映养殖场污水直排', '反映施工噪声扰民'],
    summary: (n, p) => `${n}反映${p}附近某企业夜间排放刺激性气味，影响周边居民正常生活，请求依法查处。`,
  },
  {
    category: 'law',
    itemType: 'request-appeal',
    dept: 'POLICE',
    subjects: ['反映邻里纠纷处理不公', '请求依法处理电信诈骗案件', '反映交通事故处理问题'],
    summary: (n, p) => `${n}反映其在${p}遭遇电信网络诈骗，损失4.3万元，已向派出所报案，请求加快侦办进度。`,
  },
  {
    category: 'accusation',
    itemType: 'accusation',
    dept: 'JW',
    subjects: ['检举某单位工作人员违规收受礼金', '控告某街道干部优亲厚友'],
    summary: (n, p) => `${n}检举${p}某部门工作人员在办理房屋征收补偿过程中违规收受礼金，并提供了相关线索。`,
    accused: { name: '江川市住房和城乡建设局', deptCode: 'HOUSING' },
  },
];

/** Stages a demo case is driven to, with their share of the demo. */
const STAGES: [string, number][] = [
  ['registered', 8],
  ['accepted', 4],
  ['assigned', 26],
  ['answered', 8],
  ['replied', 5],
  ['delivered', 12],
  ['under_review', 4],
  ['reviewed', 3],
  ['final', 2],
  ['declined', 5],
  ['transferred', 5],
  ['closed', 18],
];

/** The level a demo visit reached: mostly 本级访, some 越级到市访, a few 赴省访 and 进京访. */
function demoLevel(r: number): PetitionLevel {
  return r < 0.7 ? 'same-level' : r < 0.9 ? 'skip-level' : r < 0.97 ? 'province' : 'capital';
}

/** Mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function actor(username: string): Actor {
  const u = DEMO_USERS.find((d) => d.username === username);
  if (!u) throw new Error(`no demo user ${username}`);
  return {
    userId: u.sub,
    username: u.username,
    displayName: u.name,
    roles: [...u.roles],
    deptCode: u.deptCode,
  };
}

function deptUser(code: string): Actor {
  const u = DEMO_USERS.find((d) => d.deptCode === code);
  if (!u) throw new Error(`no demo user for ${code}`);
  return actor(u.username);
}

export interface SeedOptions {
  count: number;
  seed?: number;
  /** Cases written at once (default 12). */
  concurrency?: number;
  /** The real "today": no demo step happens after it. */
  today: string;
  /** The office's localities (问题属地; default the demo office's towns). */
  localities?: readonly Locality[];
  onProgress?: (done: number) => void;
}

/** The time of the case being seeded, read by the clock while seeding (see the file's comment). */
type CaseTime = { at: Date };

export async function seedDemo(registry: Registry, clock: FakeClock, options: SeedOptions): Promise<{ caseNos: string[]; byStage: Record<string, number> }> {
  const rnd = prng(options.seed ?? 2026);
  const seeds = Array.from({ length: options.count }, () => Math.floor(rnd() * 2 ** 32));
  const results: ({ caseNo: string; stage: string } | undefined)[] = new Array(options.count);
  const caseTime = new AsyncLocalStorage<CaseTime>();
  const clockNow = clock.now;
  clock.now = () => {
    const t = caseTime.getStore();
    return t ? new Date(t.at) : clockNow.call(clock);
  };
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const i = next++;
      results[i] = await caseTime.run({ at: clockNow.call(clock) }, () => seedCase(registry, seeds[i] as number, options, caseTime));
      options.onProgress?.(++done);
    }
  };
  try {
    await Promise.all(
      Array.from(
        {
          length: Math.max(1, Math.min(options.concurrency ?? 12, options.count)),
        },
        worker,
      ),
    );
  } finally {
    clock.now = clockNow;
  }
  const caseNos: string[] = [];
  const byStage: Record<string, number> = {};
  for (const r of results) {
    if (!r) continue;
    caseNos.push(r.caseNo);
    byStage[r.stage] = (byStage[r.stage] ?? 0) + 1;
  }
  clock.set(`${options.today}T00:00:00Z`);
  return { caseNos, byStage };
}

/** One demo case, driven to its stage on its own time. */
async function seedCase(
  registry: Registry,
  seed: number,
  options: SeedOptions,
  caseTime: AsyncLocalStorage<CaseTime>,
): Promise<{ caseNo: string; stage: string }> {
  const rnd = prng(seed);
  // 问题属地 and 信访层级 draw from a generator of their own.
  const rndPlace = prng(seed ^ 0x5f3759df);
  const localities = options.localities ?? DEFAULT_LOCALITIES;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const clerk = actor('clerk1');
  const director = actor('director1');
  const total = STAGES.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  const stage = (STAGES.find(([, w]) => (r -= w) < 0) ?? STAGES[0])![0];
  const topic = pick(TOPICS);
  const name = pick([...SURNAMES]) + pick(GIVEN);
  const place = `江川区${pick(TOWNS)}`;
  const birth = `19${50 + Math.floor(rnd() * 50)}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
  const first17 = `530421${birth}${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`;
  const persons = rnd() < 0.1 ? 5 + Math.floor(rnd() * 30) : 1;
  // Span of the steps the stage needs, so the last one happens before today.
  const span =
    {
      registered: 5,
      accepted: 10,
      assigned: 40,
      answered: 50,
      replied: 55,
      delivered: 60,
      under_review: 80,
      reviewed: 110,
      final: 170,
      declined: 10,
      transferred: 10,
      closed: 130,
    }[stage] ?? 10;
  const receivedOn = addDays(options.today, -(span + Math.floor(rnd() * 120)));
  let day = receivedOn;
  const at = (d: string) => {
    (caseTime.getStore() as CaseTime).at = new Date(
      `${d}T${String(1 + Math.floor(rnd() * 8)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00Z`,
    );
  };
  at(day);
  const input: RegistrationInput = {
    petitioners: [
      {
        name,
        idNumber: first17 + idNumberCheckChar(first17),
        phone: `1${pick(['38', '39', '58', '87', '36'])}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
        address: `${place}${pick(STREETS)}${1 + Math.floor(rnd() * 200)}号`,
      },
    ],
    persons,
    representatives: persons >= 5 ? [name] : [],
    channel: {
      type: pick(['letter', 'letter', 'visit', 'online', 'phone'] as const),
    },
    itemType: topic.itemType,
    category: topic.category,
    accusedUnits: topic.accused ? [topic.accused] : [],
    subject: pick(topic.subjects),
    summary: topic.summary(name, place),
    fullText: '',
    receivedOn,
    statutoryRoute: {
      litigation: stage === 'declined',
      arbitration: false,
      reconsideration: false,
    },
  };
  // The locality of the town in the address, now and then one outside the district (辖区外) or none recorded.
  const r2 = rndPlace();
  const town = localities.find((l) => place.endsWith(l.name)) ?? localities[Math.floor(rndPlace() * localities.length)];
  const locality = r2 < 0.05 ? undefined : r2 < 0.1 ? (localities.find((l) => l.code === 'elsewhere') ?? town) : town;
  if (locality) input.locality = locality.code;
  if (LEVEL_CHANNELS.includes(input.channel.type)) input.level = demoLevel(rndPlace());
  const reg = await registry.register(clerk, parseInput(RegistrationSchema, input));
  const caseNo = reg.case.caseNo;
  let version = reg.case.version;
  const step = async (who: Actor, action: Action, body: unknown, days: number) => {
    day = addDays(day, days);
    if (day > options.today) day = options.today;
    at(day);
    const view = await registry.act(who, caseNo, action, parseActionBody(action, body), version);
    version = view.version;
    return view;
  };
  const dept = topic.dept;
  const opinion = {
    request: input.subject.replace(/^(请求|反映|申请|建议|检举|控告|对)/, '请求解决'),
    facts: `经${dept === 'JW' ? '纪检监察机关' : '承办单位'}调查核实，${input.summary.slice(0, 40)}……情况基本属实。`,
    decision: '责成相关单位依法依规妥善处理，并将处理结果书面答复信访人。',
    outcome: pick(['support', 'support', 'explain', 'reject'] as const),
    legalBasis: '《信访工作条例》第三十二条及相关法律法规',
  };

  if (stage === 'declined') {
    await step(
      director,
      'decline',
      {
        route: 'litigation',
        routeOrgan: '江川区人民法院',
        reason: '该事项已由人民法院立案受理',
      },
      3,
    );
  } else if (stage === 'transferred') {
    await step(
      director,
      'transfer',
      {
        transferTo: '玉溪市人力资源和社会保障局',
        reason: '该事项属上级主管部门职权范围',
      },
      4,
    );
  } else if (stage !== 'registered') {
    await step(
      clerk,
      'propose',
      {
        action: 'accept',
        deptCode: dept,
        reason: `属${DEFAULT_DEPARTMENTS.find((d) => d.code === dept)?.name ?? dept}职责范围，拟受理并交办`,
      },
      1,
    );
    await step(director, 'accept', {}, 2);
    if (stage !== 'accepted') {
      await step(director, 'assign', { deptCode: dept }, 0);
      if (!['assigned'].includes(stage)) {
        await step(deptUser(dept), 'answer', opinion, 20 + Math.floor(rnd() * 20));
        if (stage !== 'answered') {
          await step(director, 'approve-reply', {}, 2);
          if (stage !== 'replied') {
            const delivered = await step(clerk, 'deliver', { deliveredOn: day, method: 'post' }, 2);
            if (['under_review', 'reviewed', 'final'].includes(stage)) {
              await step(
                clerk,
                'request-review',
                {
                  requestedOn: addDays(day, 10) > options.today ? options.today : addDays(day, 10),
                },
                10,
              );
              if (stage !== 'under_review') {
                await step(
                  clerk,
                  'review-opinion',
                  {
                    outcome: 'reject',
                    summary: '经复查，原处理意见认定事实清楚，维持原处理意见',
                    deliveredOn: addDays(day, 25) > options.today ? options.today : addDays(day, 25),
                  },
                  25,
                );
                if (stage === 'final') {
                  await step(
                    clerk,
                    'request-rereview',
                    {
                      requestedOn: addDays(day, 10) > options.today ? options.today : addDays(day, 10),
                    },
                    10,
                  );
                  await step(
                    director,
                    'rereview-opinion',
                    {
                      outcome: 'reject',
                      summary: '经复核，维持复查意见',
                      deliveredOn: addDays(day, 25) > options.today ? options.today : addDays(day, 25),
                    },
                    25,
                  );
                }
              }
            }
            // Closed once the review window has passed (it may have rolled over a holiday).
            const windowDue = delivered.clocks.reviewRequestWindow?.due ?? day;
            if (stage === 'closed' && addDays(windowDue, 1) <= options.today) await step(clerk, 'close', {}, Math.max(1, daysBetween(day, windowDue) + 1));
          }
        }
      }
    }
  }
  return { caseNo, stage };
}
