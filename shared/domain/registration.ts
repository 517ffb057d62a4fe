/**
 * Registration (登记): building a new case from validated input, and the warnings a clerk sees
 * before accepting — a matter already final after re-review (Art. 36 ¶3), a matter still being
 * handled (Art. 19 ¶3), and earlier cases of the same petitioner. A repeat is linked to the
 * most recent earlier case.
 */
import type { Case, Registration, RegistrationWarning } from './case';
import { OPEN_STATUSES } from './case';
import { startClock, type CaseClockContext, type ClockContext } from './clocks';
import type { Actor } from './roles';
import { COLLECTIVE_THRESHOLD } from './taxonomy';

/** What registration needs to know about an earlier case of the same petitioner. */
export interface EarlierCase {
  caseNo: string;
  status: Case['status'];
  receivedOn: string;
  subject: string;
  /** The matter went through re-review (终结). */
  final: boolean;
}

export function summariseEarlier(c: Case): EarlierCase {
  return { caseNo: c.caseNo, status: c.status, receivedOn: c.receivedOn, subject: c.subject, final: c.status === 'final' || c.rereview?.opinion !== undefined };
}

export function registrationWarnings(earlier: EarlierCase[]): RegistrationWarning[] {
  const warnings: RegistrationWarning[] = [];
  const final = earlier.filter((e) => e.final);
  if (final.length > 0) {
    warnings.push({
      kind: 'final-matter',
      message: '信访人有已复核终结的信访事项：以同一事实和理由提出的，不再受理（《信访工作条例》第三十六条）',
      caseNos: final.map((e) => e.caseNo),
    });
  }
  const open = earlier.filter((e) => !e.final && OPEN_STATUSES.includes(e.status));
  if (open.length > 0) {
    warnings.push({
      kind: 'matter-in-progress',
      message: '信访人有正在办理中的信访事项：同一事项在办理期间不予重复受理（《信访工作条例》第十九条）',
      caseNos: open.map((e) => e.caseNo),
    });
  }
  if (earlier.length > 0) {
    warnings.push({ kind: 'earlier-cases', message: `信访人此前有${earlier.length}件信访事项`, caseNos: earlier.map((e) => e.caseNo) });
  }
  return warnings;
}

/** The 2022 条例 took effect on 2022-05-01; older cases keep the 2005 rule set. */
export function ruleSetFor(receivedOn: string): Case['ruleSet'] {
  return receivedOn >= '2022-05-01' ? '2022' : '2005';
}

export interface NewCaseContext {
  caseNo: string;
  queryCodeHash: string;
  petitionerKeys: string[];
  earlier: EarlierCase[];
  actor: Actor;
  now: Date;
  clocks: CaseClockContext;
}

export function newCase(input: Registration, ctx: NewCaseContext): { case: Case; event: { type: string; data: Record<string, unknown> } } {
  const ruleSet = ruleSetFor(input.receivedOn);
  const clockCtx: ClockContext = { ...ctx.clocks, ruleSet, itemType: input.itemType };
  const clocks: Case['clocks'] = { notify: startClock('notify', input.receivedOn, clockCtx) };
  if (input.channel.type === 'referral' && ruleSet === '2022') {
    clocks.transferObjection = startClock('transferObjection', input.receivedOn, clockCtx);
  }
  const sorted = [...ctx.earlier].sort((a, b) => (a.receivedOn < b.receivedOn ? 1 : -1));
  const repeatOf = input.repeatOf ?? sorted[0]?.caseNo;
  const at = ctx.now.toISOString();
  const { uploads: _uploads, ...record } = input;
  const c: Case = {
    ...record,
    caseNo: ctx.caseNo,
    year: Number(input.receivedOn.slice(0, 4)),
    ruleSet,
    status: 'registered',
    version: 1,
    createdAt: at,
    updatedAt: at,
    registeredBy: ctx.actor.username,
    queryCodeHash: ctx.queryCodeHash,
    collective: input.persons >= COLLECTIVE_THRESHOLD,
    firstTime: repeatOf === undefined,
    repeatOf,
    warnings: registrationWarnings(ctx.earlier),
    petitionerKeys: ctx.petitionerKeys,
    departmentHistory: [],
    returns: [],
    clocks,
    auditSeq: 0,
    auditHead: '',
  };
  return {
    case: c,
    event: {
      type: 'case.registered',
      data: {
        channel: input.channel.type,
        itemType: input.itemType,
        category: input.category,
        ...(input.subcategory ? { subcategory: input.subcategory } : {}),
        locality: input.locality,
        level: input.level,
        persons: input.persons,
        repeatOf,
        warnings: c.warnings.map((w) => w.kind),
        notifyDue: clocks.notify?.due,
      },
    },
  };
}
