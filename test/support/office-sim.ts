/**
 * A simulated office (issue 13's oracle test, and the benchmarks that want a realistic office): a
 * deterministic plan of cases over a span of days — every channel, item type, category,
 * department, 问题属地 and level, collective and individual visits, first and repeated petitions —
 * each with the steps of its life (受理 / 不予受理 / 转送, 交办 and 改派, 延期, the department's
 * answer, the approved reply, 送达, a rating, 复查 and 复核), some on time and some late.
 *
 * `OfficeSimulation.runUntil(day)` carries out, through the registry's own use cases (so every
 * report fact is written by the transactions that write the case), every step planned up to that
 * day, each on its own day (the clock is set to it), and runs the deadline sweep on the days given
 * (its milestones open the supervisions). A step the lifecycle refuses (a rule it breaks, late) is
 * skipped and counted; the following steps of the case are still tried.
 */
import type { Action } from '../../shared/domain/actions';
import type { RegistrationInput } from '../../shared/domain/case';
import { CHANNELS, ITEM_TYPES, PETITION_LEVELS, type ChannelType } from '../../shared/domain/taxonomy';
import { DomainError } from '../../shared/domain/errors';
import type { Actor } from '../../shared/domain/roles';
import { addDays, daysBetween, type FakeClock } from '../../shared/domain/time';
import { RegistrationSchema, type Registration } from '../../shared/domain/case';
import { parseInput } from '../../shared/domain/validation';
import { parseActionBody, type ActionBody } from '../../shared/app/action-body';

export const SIM_CLERK: Actor = { userId: 'sim-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
export const SIM_DIRECTOR: Actor = { userId: 'sim-director', username: 'director1', displayName: '李建国', roles: ['director'] };
export function simDepartment(deptCode: string): Actor {
  return { userId: `sim-${deptCode}`, username: `${deptCode.toLowerCase()}1`, displayName: `${deptCode}承办人`, roles: ['department'], deptCode };
}

/** A small deterministic random source (mulberry32), so a seed gives the same office every time. */
export function randomSource(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [lo, hi]. */
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}

export type SimStep =
  | { day: string; kind: 'act'; action: Action; actor: Actor; input: unknown }
  | { day: string; kind: 'rate'; value: 'satisfied' | 'basically-satisfied' | 'unsatisfied' };

export interface PlannedCase {
  /** Order of registration on its day (the plan's index). */
  index: number;
  registration: RegistrationInput;
  steps: SimStep[];
}

export interface OfficeShape {
  departments: readonly { code: string }[];
  categories: readonly { code: string }[];
  localities: readonly { code: string }[];
}

export interface PlanOptions {
  cases: number;
  seed: number;
  /** The first and last day a case may be received. */
  from: string;
  to: string;
  office: OfficeShape;
}

const OPINION = {
  request: '请求协调解决反映的问题',
  facts: '经调查核实，信访人反映的情况基本属实。',
  decision: '责成有关单位依法依规处理并答复信访人。',
  outcome: 'support' as const,
  legalBasis: '《信访工作条例》第三十二条',
};

/** The plan of an office: the cases and every step of each, in day order per case. */
export function planOffice(o: PlanOptions): PlannedCase[] {
  const r = randomSource(o.seed);
  const span = daysBetween(o.from, o.to);
  const days = Array.from({ length: o.cases }, () => addDays(o.from, r.int(0, span))).sort();
  // About a third of the petitioners come back: a pool smaller than the cases.
  const people = Math.max(1, Math.round(o.cases * 0.7));
  const depts = o.office.departments.map((d) => d.code).filter((c) => c !== 'JW');
  return days.map((receivedOn, index) => {
    const channel: ChannelType = r.pick(CHANNELS);
    const itemType = r.pick(ITEM_TYPES);
    const category =
      itemType === 'accusation' && r.chance(0.5) ? 'accusation' : r.pick(o.office.categories.map((c) => c.code).filter((c) => c !== 'accusation'));
    const collective = channel === 'visit' && r.chance(0.25);
    const persons = collective ? r.int(5, 30) : r.chance(0.2) ? r.int(2, 4) : 1;
    const who = r.int(1, people);
    const registration: RegistrationInput = {
      petitioners: [{ name: `信访人${who}`, phone: `139${String(who).padStart(8, '0')}` }],
      persons,
      ...(collective ? { representatives: [`信访人${who}`] } : {}),
      channel:
        channel === 'referral'
          ? { type: 'referral', fromOrgan: r.pick(['国家信访局', '省信访局']), reference: `转〔${receivedOn.slice(0, 4)}〕${index + 1}号` }
          : { type: channel },
      itemType,
      category,
      ...(itemType === 'accusation' ? { accusedUnits: [{ name: '某建筑工程有限公司' }] } : {}),
      ...(r.chance(0.9) ? { locality: r.pick(o.office.localities.map((l) => l.code)) } : {}),
      ...((channel === 'visit' || channel === 'referral') && r.chance(0.85) ? { level: r.pick(PETITION_LEVELS) } : {}),
      subject: `反映${category}问题（模拟第${index + 1}件）`,
      summary: '信访人反映相关问题，请求依法处理。',
      receivedOn,
    };
    const steps: SimStep[] = [];
    const act = (day: string, action: Action, actor: Actor, input: unknown) => steps.push({ day, kind: 'act', action, actor, input });
    let day = receivedOn;
    const later = (lo: number, hi: number) => (day = addDays(day, r.int(lo, hi)));
    const fate = r.next();
    later(0, 24); // the decision: most within the 15 days of the notify clock, some after it
    if (fate < 0.08) {
      act(day, 'decline', SIM_DIRECTOR, { route: r.pick(['litigation', 'arbitration', 'reconsideration'] as const), reason: '该事项已通过法定途径处理' });
      return { index, registration, steps };
    }
    if (fate < 0.16) {
      act(day, 'transfer', SIM_DIRECTOR, { transferTo: '江川市人民政府有关部门', reason: '属其职权范围' });
      return { index, registration, steps };
    }
    // A petitioner with an open or final matter: the director confirms it is a different one.
    act(day, 'accept', SIM_DIRECTOR, { warningsOverride: '经核查，与前案不属同一事项' });
    if (r.chance(0.08)) return { index, registration, steps }; // accepted, never assigned (still with the office)
    const dept = itemType === 'accusation' ? 'JW' : r.pick(depts);
    later(0, 4);
    act(day, 'assign', SIM_DIRECTOR, { deptCode: dept });
    let holder = dept;
    if (itemType !== 'accusation' && r.chance(0.06)) {
      later(1, 5);
      holder = r.pick(depts.filter((d) => d !== dept));
      act(day, 'reassign', SIM_DIRECTOR, { deptCode: holder, reason: '不属于原承办单位职责范围' });
    }
    if (r.chance(0.1)) {
      later(20, 45);
      const days = r.int(10, 30);
      act(day, 'request-extension', simDepartment(holder), { days, reason: '情况复杂，需进一步调查核实' });
      later(0, 2);
      act(day, 'extend', SIM_DIRECTOR, { days, reason: '情况复杂，需进一步调查核实' });
    }
    later(8, 75); // the department's answer: some after its due date, some after the handling clock's
    act(day, 'answer', simDepartment(holder), OPINION);
    later(0, 6);
    act(day, 'approve-reply', SIM_DIRECTOR, {});
    if (r.chance(0.1)) return { index, registration, steps }; // replied, not delivered yet
    later(1, 6);
    act(day, 'deliver', SIM_CLERK, { deliveredOn: day, method: r.pick(['post', 'in-person', 'electronic'] as const) });
    const delivered = day;
    if (r.chance(0.65)) {
      // Rated, mostly within the 30 days, some after them.
      steps.push({
        day: addDays(delivered, r.int(0, 40)),
        kind: 'rate',
        value: r.pick(['satisfied', 'satisfied', 'basically-satisfied', 'unsatisfied'] as const),
      });
    }
    if (r.chance(0.12)) {
      day = addDays(delivered, r.int(2, 25));
      act(day, 'request-review', SIM_CLERK, { requestedOn: day });
      later(10, 40);
      act(day, 'review-opinion', SIM_CLERK, { outcome: 'reject', summary: '维持原处理意见', deliveredOn: day });
      if (r.chance(0.45)) {
        later(2, 25);
        act(day, 'request-rereview', SIM_CLERK, { requestedOn: day });
        later(10, 40);
        act(day, 'rereview-opinion', SIM_DIRECTOR, { outcome: 'reject', summary: '维持复查意见', deliveredOn: day });
      }
    }
    steps.sort((a, b) => a.day.localeCompare(b.day));
    return { index, registration, steps };
  });
}

/** What the simulation needs of the registry (Registry has it): it parses its plans' raw inputs as the routes would. */
export interface SimRegistry {
  register(actor: Actor, input: Registration): Promise<{ case: { caseNo: string; version: number }; queryCode: string }>;
  act(actor: Actor, caseNo: string, action: Action, input: ActionBody<Action>, ifMatch: number | undefined): Promise<{ version: number }>;
  rate(caseNo: string, queryCode: string, value: 'satisfied' | 'basically-satisfied' | 'unsatisfied'): Promise<unknown>;
  /** The case's version now (the sweep may have written the case since the last step). */
  version(caseNo: string): Promise<number>;
}

export interface SimCounts {
  registered: number;
  steps: number;
  /** Steps the lifecycle refused, by action. */
  refused: Record<string, number>;
  sweeps: number;
}

function before(a: Pending, b: Pending): number {
  return a.day.localeCompare(b.day) || a.order - b.order || a.plan.index - b.plan.index;
}

interface Pending {
  day: string;
  /** Registration first, then the steps in order. */
  order: number;
  plan: PlannedCase;
  step: number;
}

/**
 * Carries out a plan day by day. Every event of a day runs with the clock at 10:00 Beijing time
 * that day; cases of one day are registered in plan order, so numbers follow receipt.
 */
export class OfficeSimulation {
  readonly counts: SimCounts = { registered: 0, steps: 0, refused: {}, sweeps: 0 };
  /** caseNo and query code of each registered case, by plan index. */
  readonly cases = new Map<number, { caseNo: string; queryCode: string }>();
  private queue: Pending[];
  private sweepDays: string[];

  constructor(
    readonly plan: PlannedCase[],
    private readonly deps: { registry: SimRegistry; clock: FakeClock; sweep?: () => Promise<unknown>; sweepDays?: string[] },
  ) {
    this.queue = plan.map((p) => ({ day: p.registration.receivedOn, order: 0, plan: p, step: -1 }));
    this.sortQueue();
    this.sweepDays = [...(deps.sweepDays ?? [])].sort();
  }

  private sortQueue(): void {
    this.queue.sort(before);
  }

  /** Inserts in order (binary search): the queue stays sorted without sorting it again. */
  private enqueue(p: Pending): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.queue[mid] as Pending, p) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, p);
  }

  private setDay(day: string): void {
    this.deps.clock.set(`${day}T02:00:00Z`);
  }

  /** Carries out every step planned on or before `day` (and the sweeps of those days, after the day's steps). */
  async runUntil(day: string): Promise<void> {
    for (;;) {
      const head = this.queue[0];
      const sweepDay = this.sweepDays[0];
      if (sweepDay !== undefined && sweepDay <= day && (head === undefined || head.day > sweepDay)) {
        this.sweepDays.shift();
        if (this.deps.sweep) {
          this.setDay(sweepDay);
          await this.deps.sweep();
          this.counts.sweeps += 1;
        }
        continue;
      }
      if (head === undefined || head.day > day) break;
      this.queue.shift();
      await this.carryOut(head);
    }
    this.setDay(day);
  }

  private async carryOut(p: Pending): Promise<void> {
    this.setDay(p.day);
    if (p.step === -1) {
      const reg = await this.deps.registry.register(SIM_CLERK, parseInput(RegistrationSchema, p.plan.registration));
      this.cases.set(p.plan.index, { caseNo: reg.case.caseNo, queryCode: reg.queryCode });
      this.counts.registered += 1;
    } else {
      const step = p.plan.steps[p.step] as SimStep;
      const c = this.cases.get(p.plan.index);
      if (!c) return;
      this.counts.steps += 1;
      try {
        if (step.kind === 'rate') await this.deps.registry.rate(c.caseNo, c.queryCode, step.value);
        else
          await this.deps.registry.act(step.actor, c.caseNo, step.action, parseActionBody(step.action, step.input), await this.deps.registry.version(c.caseNo));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const what = step.kind === 'rate' ? 'rate' : step.action;
        this.counts.refused[what] = (this.counts.refused[what] ?? 0) + 1;
      }
    }
    const next = p.plan.steps[p.step + 1];
    if (next) this.enqueue({ day: next.day, order: 1, plan: p.plan, step: p.step + 1 });
  }
}
