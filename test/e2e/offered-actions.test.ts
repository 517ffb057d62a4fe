/**
 * The actions a case offers are exactly those that would succeed, for every case of the demo
 * generator (local/demo-data.ts, seeded into a test stack as `npm run demo` seeds the local one)
 * and every demo user (every role, every department). Both ways: each offered action's dry run
 * (Registry.dryRun: every check of the transition and of the letters it issues, nothing written)
 * succeeds; each action not offered fails — a withheld one with the very reason the case shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/app/registry';
import { ACTIONS, type Action } from '../../shared/domain/actions';
import type { Case } from '../../shared/domain/case';
import { DomainError } from '../../shared/domain/errors';
import { clocksToPause, clocksToResume } from '../../shared/domain/lifecycle';
import type { Actor } from '../../shared/domain/roles';
import { DEMO_USERS } from '../../local/demo-users';
import { startTestStack, type TestStack } from '../support/stack';

const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';
const DEMO_CASES = 70;

let stack: TestStack;
let registry: Registry;
let repo: { getCase(caseNo: string): Promise<Case | null> };
let caseNos: string[] = [];
let byStage: Record<string, number> = {};
let departments: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ now: NOW });
  const { getLetterRuntime } = await import('../../functions/common/letters-runtime');
  const { seedDemo } = await import('../../local/demo-data');
  const runtime = await getLetterRuntime();
  registry = runtime.registry;
  repo = runtime.repo;
  departments = runtime.settings.departments.map((d) => d.code);
  // Seed 2031: its 70 cases reach every stage (since the demo draws each case from a seed of its
  // own, seed 2026 yields no 'final' case among 70).
  ({ caseNos, byStage } = await seedDemo(registry, stack.clock, { count: DEMO_CASES, today: TODAY, seed: 2031 }));
  stack.clock.set(NOW);
}, 300_000);
afterAll(() => stack?.stop());

const ACTORS: Actor[] = DEMO_USERS.map((u) => ({ userId: u.sub, username: u.username, displayName: u.name, roles: [...u.roles], deptCode: u.deptCode }));

type View = Awaited<ReturnType<Registry['getCase']>>;
const opinion = {
  request: '请求解决拖欠工资问题',
  facts: '经调查核实，情况基本属实。',
  decision: '责成相关单位依法妥善处理。',
  outcome: 'support',
  legalBasis: '《信访工作条例》第三十二条',
};

/** A body each action would take on this case, so that only the case's state can refuse it. */
function sampleInput(action: Action, c: View): Record<string, unknown> {
  const accused = new Set(c.accusedUnits.map((u) => u.deptCode));
  const other = departments.find((d) => d !== c.deptCode && !accused.has(d));
  const window = (kind: string) => {
    const due = c.clocks[kind]?.due ?? TODAY;
    return due < TODAY ? due : TODAY;
  };
  switch (action) {
    case 'propose':
      return { action: 'accept', reason: '拟受理' };
    case 'approve-proposal':
      return { warningsOverride: '经核实为不同事项', routeName: '行政裁决' };
    case 'accept':
      return { warningsOverride: '经核实为不同事项' };
    case 'decline':
      return { route: 'litigation', reason: '该事项已由人民法院立案受理' };
    case 'transfer':
      return { transferTo: '江川县人民政府', reason: '属县级人民政府职责' };
    case 'assign':
      return { deptCode: other };
    case 'reassign':
      return { deptCode: other, reason: '职责调整' };
    case 'request-extension':
    case 'extend':
      return { days: 10, reason: '需进一步调查核实' };
    case 'pause-clock':
      return { clock: clocksToPause(c, TODAY)[0] ?? 'handling', reason: '等待信访人补充材料' };
    case 'resume-clock':
      return { clock: clocksToResume(c, TODAY)[0] ?? 'handling' };
    case 'answer':
      return opinion;
    case 'return':
      return { comment: '请补充调查' };
    case 'approve-reply':
    case 'close':
      return {};
    case 'deliver':
      return { deliveredOn: TODAY, method: 'post' };
    case 'request-review':
      return { requestedOn: window('reviewRequestWindow') };
    case 'request-rereview':
      return { requestedOn: window('rereviewRequestWindow') };
    case 'review-opinion':
    case 'rereview-opinion':
      return { outcome: 'reject', summary: '维持原意见', deliveredOn: TODAY };
  }
}

async function failure(p: Promise<unknown>): Promise<DomainError | 'succeeded'> {
  try {
    await p;
    return 'succeeded';
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

describe('the actions a demo case offers', () => {
  it('seeds a demo with cases at every stage', () => {
    for (const stage of [
      'registered',
      'accepted',
      'assigned',
      'answered',
      'replied',
      'delivered',
      'under_review',
      'reviewed',
      'final',
      'declined',
      'transferred',
      'closed',
    ]) {
      expect(byStage[stage] ?? 0, stage).toBeGreaterThan(0);
    }
  });

  it('are exactly those that succeed, for every case and every user; a withheld one fails with the reason the case shows', async () => {
    const problems: string[] = [];
    let offered = 0;
    let withheld = 0;
    for (const caseNo of caseNos) {
      for (const actor of ACTORS) {
        const who = `${caseNo} ${actor.username}`;
        const seen = await failure(registry.getCase(actor, caseNo));
        if (seen !== 'succeeded' && !(seen instanceof DomainError)) continue;
        if (seen instanceof DomainError) {
          // Not visible to this user: nothing to offer, and any action is refused the same way.
          expect(seen.code, who).toBe('NOT_FOUND');
          const refused = await failure(registry.dryRun(actor, caseNo, 'close', {}));
          if (refused === 'succeeded' || refused.code !== 'NOT_FOUND') problems.push(`${who}: an invisible case's action was not refused as not found`);
          continue;
        }
        const view = await registry.getCase(actor, caseNo);
        const stored = await repo.getCase(caseNo);
        if (!stored) throw new Error(`no case ${caseNo}`);
        const reasons = new Map(view.withheld.map((w) => [w.action, w.reason]));
        for (const action of ACTIONS) {
          // The dry run on the case as read (the same checks as Registry.dryRun, without reading it again for each action).
          const result = await failure(registry.dryRunOn(actor, stored, action, sampleInput(action, view)));
          if (view.actions.includes(action)) {
            offered += 1;
            if (result !== 'succeeded') problems.push(`${who} (${view.status}): offered ${action} fails: ${result.code} ${result.message}`);
          } else if (result === 'succeeded') {
            problems.push(`${who} (${view.status}): ${action} is not offered but succeeds`);
          } else if (reasons.has(action)) {
            withheld += 1;
            if (result.details.reason !== reasons.get(action))
              problems.push(`${who}: withheld ${action} fails with "${String(result.details.reason)}", the case shows "${reasons.get(action)}"`);
          } else if (!['FORBIDDEN', 'ILLEGAL_TRANSITION'].includes(result.code)) {
            problems.push(`${who} (${view.status}): ${action} is neither offered nor withheld with a reason, yet fails with ${result.code} ${result.message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(offered).toBeGreaterThan(DEMO_CASES);
    expect(withheld).toBeGreaterThan(0);
  }, 600_000);
});
