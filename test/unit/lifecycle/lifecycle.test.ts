import { describe, expect, it } from 'vitest';
import { applyAction, availableActions, canRead } from '../../../shared/domain/lifecycle';
import { DomainError } from '../../../shared/domain/errors';
import { applyRaw, archivist, clerk, ctx, director, housing, hrss, office, opinion, registered, run } from './fixtures';
import type { Actor } from '../../../shared/domain/roles';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

describe('the case lifecycle', () => {
  it('walks a request-appeal case from registration to closing with its clocks', () => {
    // Prepare
    const c = registered();
    expect(c.status).toBe('registered');
    expect(c.clocks.notify?.due).toBe('2026-03-17'); // 15 days after 2026-03-02

    // Act
    const accepted = applyAction(c, 'accept', {}, ctx(director, '2026-03-05'));
    const assigned = applyAction(accepted.next, 'assign', { deptCode: 'HRSS' }, ctx(director, '2026-03-05'));
    const answered = applyAction(assigned.next, 'answer', opinion, ctx(hrss, '2026-04-01'));
    const replied = applyAction(answered.next, 'approve-reply', {}, ctx(director, '2026-04-02'));
    const delivered = applyAction(replied.next, 'deliver', { deliveredOn: '2026-04-03', method: 'post' }, ctx(clerk, '2026-04-03'));
    const closed = applyAction(delivered.next, 'close', {}, ctx(clerk, '2026-05-07')); // the day after the window's last day

    // Assess
    expect(accepted.next.status).toBe('accepted');
    expect(accepted.next.clocks.notify?.status).toBe('stopped');
    expect(accepted.next.clocks.handling?.due).toBe('2026-05-06'); // 60 days after 03-05 is 05-04 (holiday) → 05-06
    expect(accepted.letters).toEqual(['acceptance-notice']);
    expect(assigned.next.deptCode).toBe('HRSS');
    expect(assigned.next.departmentHistory).toEqual(['HRSS']);
    expect(assigned.next.clocks.departmentDue!.due < assigned.next.clocks.handling!.due).toBe(true);
    expect(answered.next.clocks.departmentDue?.status).toBe('stopped');
    expect(replied.next.reply?.outcome).toBe('support');
    expect(replied.letters).toEqual(['handling-opinion']);
    expect(delivered.next.clocks.reviewRequestWindow?.due).toBe('2026-05-06'); // 30 days after 04-03 is 05-03 (holiday) → 05-06
    expect(closed.next.status).toBe('closed');
    expect(Object.values(closed.next.clocks).every((k) => k.status === 'stopped')).toBe(true);
    expect(closed.next.version).toBe(c.version + 6);
    expect(closed.event.type).toBe('case.closed');
  });

  it('refuses an action from a role that may not take it with FORBIDDEN', () => {
    expect(codeOf(() => applyAction(registered(), 'accept', {}, ctx(clerk, '2026-03-03')))).toBe('FORBIDDEN');
    expect(codeOf(() => applyAction(registered(), 'propose', { action: 'accept', reason: 'x' }, ctx(hrss, '2026-03-03')))).toBe('FORBIDDEN');
  });

  it('refuses an action that is not allowed from the current state with ILLEGAL_TRANSITION', () => {
    expect(codeOf(() => applyAction(registered(), 'assign', { deptCode: 'HRSS' }, ctx(director, '2026-03-03')))).toBe('ILLEGAL_TRANSITION');
    expect(codeOf(() => applyAction(registered(), 'close', {}, ctx(clerk, '2026-03-03')))).toBe('ILLEGAL_TRANSITION');
  });

  it('refuses bad input with VALIDATION naming the field', () => {
    const c = run(registered(), [['accept', director, '2026-03-03', {}]]);
    try {
      applyAction(c, 'assign', { deptCode: 'nope' }, ctx(director, '2026-03-03'));
      expect.unreachable();
    } catch (err) {
      expect((err as DomainError).code).toBe('VALIDATION');
      expect(JSON.stringify((err as DomainError).details)).toContain('deptCode');
    }
  });

  it('lets only the department handling the case answer it', () => {
    const c = run(registered(), [
      ['accept', director, '2026-03-03', {}],
      ['assign', director, '2026-03-03', { deptCode: 'HRSS' }],
    ]);
    expect(codeOf(() => applyAction(c, 'answer', opinion, ctx(housing, '2026-03-10')))).toBe('FORBIDDEN');
    expect(applyAction(c, 'answer', opinion, ctx(hrss, '2026-03-10')).next.status).toBe('answered');
  });

  it('does not accept a matter a statutory procedure has already accepted (诉访分离)', () => {
    const c = registered({ statutoryRoute: { litigation: true, arbitration: false, reconsideration: false } });
    expect(codeOf(() => applyAction(c, 'accept', {}, ctx(director, '2026-03-03')))).toBe('RULE_VIOLATION');
    const declined = applyAction(c, 'decline', { route: 'litigation', routeOrgan: '江川市人民法院', reason: '已由法院受理' }, ctx(director, '2026-03-03'));
    expect(declined.next.status).toBe('declined');
    expect(declined.letters).toEqual(['non-acceptance-notice']);
  });

  it('asks for a stated override before accepting a case whose petitioner has a final matter', () => {
    const c = registered({}, [{ caseNo: 'XF-2025-000007', status: 'closed', receivedOn: '2025-01-10', subject: '工资', final: true }]);
    expect(c.warnings.map((w) => w.kind)).toEqual(['final-matter', 'earlier-cases']);
    expect(c.repeatOf).toBe('XF-2025-000007');
    expect(c.firstTime).toBe(false);
    expect(codeOf(() => applyAction(c, 'accept', {}, ctx(director, '2026-03-03')))).toBe('RULE_VIOLATION');
    expect(applyAction(c, 'accept', { warningsOverride: '新的欠薪事实，与终结事项不同' }, ctx(director, '2026-03-03')).next.status).toBe('accepted');
  });

  it('never assigns an accusation to the accused unit (Art. 30)', () => {
    const c = run(registered({ itemType: 'accusation', category: 'accusation', accusedUnits: [{ name: '江川市住房和城乡建设局', deptCode: 'HOUSING' }] }), [
      ['accept', director, '2026-03-03', {}],
    ]);
    expect(codeOf(() => applyAction(c, 'assign', { deptCode: 'HOUSING' }, ctx(director, '2026-03-03')))).toBe('RULE_VIOLATION');
    const assigned = applyAction(c, 'assign', { deptCode: 'JW' }, ctx(director, '2026-03-03')).next;
    expect(canRead(housing, { ...assigned, departmentHistory: [...assigned.departmentHistory, 'HOUSING'] }, office)).toBe(false);
  });

  it.each([
    ['exactly the department name', '住房和城乡建设局'],
    ['the name with the office locality', '江川市住房和城乡建设局'],
    ['full-width and spaced', ' 江川市 住房和城乡建设局\u3000'],
  ])('never assigns or shows an accusation to a department named without a code: %s', (_what, name) => {
    // Prepare: the accused unit is given by name only, as a clerk types it from the letter.
    const c = run(registered({ itemType: 'accusation', category: 'accusation', accusedUnits: [{ name }] }), [['accept', director, '2026-03-03', {}]]);
    // Act / Assess: the assignment is refused, and the department never reads it.
    expect(codeOf(() => applyAction(c, 'assign', { deptCode: 'HOUSING' }, ctx(director, '2026-03-03')))).toBe('RULE_VIOLATION');
    const assigned = applyAction(c, 'assign', { deptCode: 'JW' }, ctx(director, '2026-03-03')).next;
    expect(canRead(housing, { ...assigned, departmentHistory: [...assigned.departmentHistory, 'HOUSING'] }, office)).toBe(false);
  });

  it('does not take another place or a longer name for the department', () => {
    const c = run(
      registered({ itemType: 'accusation', category: 'accusation', accusedUnits: [{ name: '东川县住房和城乡建设局' }, { name: '住房和城乡建设局宁海分局' }] }),
      [['accept', director, '2026-03-03', {}]],
    );
    const assigned = applyAction(c, 'assign', { deptCode: 'HOUSING' }, ctx(director, '2026-03-03')).next;
    expect(canRead(housing, assigned, office)).toBe(true);
  });

  it('gives admin no case content: admin configures the office (DESIGN §1)', () => {
    const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '刘洋', roles: ['admin'] };
    expect(canRead(admin, registered(), office)).toBe(false);
    expect(canRead({ ...admin, roles: ['admin', 'clerk'] }, registered(), office)).toBe(true);
  });

  it('extends the handling period once, by at most 30 days', () => {
    const c = run(registered(), [
      ['accept', director, '2026-03-05', {}],
      ['assign', director, '2026-03-05', { deptCode: 'HRSS' }],
    ]);
    const extended = applyAction(c, 'extend', { days: 30, reason: '需进一步调查核实' }, ctx(director, '2026-04-20'));
    expect(extended.next.clocks.handling!.due > c.clocks.handling!.due).toBe(true);
    expect(extended.next.extension?.newDue).toBe(extended.next.clocks.handling?.due);
    expect(extended.letters).toEqual(['extension-notice']);
    expect(codeOf(() => applyAction(extended.next, 'extend', { days: 5, reason: '再次延期' }, ctx(director, '2026-04-21')))).toBe('RULE_VIOLATION');
    expect(codeOf(() => applyRaw(c, 'extend', { days: 31, reason: '超期' }, ctx(director, '2026-04-21')))).toBe('VALIDATION');
  });

  it('accepts a review request only inside its window, and closes only after the window passes', () => {
    const delivered = run(registered(), [
      ['accept', director, '2026-03-05', {}],
      ['assign', director, '2026-03-05', { deptCode: 'HRSS' }],
      ['answer', hrss, '2026-03-20', opinion],
      ['approve-reply', director, '2026-03-21', {}],
      ['deliver', clerk, '2026-03-23', { deliveredOn: '2026-03-23' }],
    ]);
    const window = delivered.clocks.reviewRequestWindow!.due;
    expect(window).toBe('2026-04-22');
    expect(codeOf(() => applyAction(delivered, 'close', {}, ctx(clerk, window)))).toBe('RULE_VIOLATION');
    expect(codeOf(() => applyAction(delivered, 'request-review', { requestedOn: '2026-04-23' }, ctx(clerk, '2026-04-23')))).toBe('RULE_VIOLATION');
    const underReview = applyAction(delivered, 'request-review', { requestedOn: '2026-04-10' }, ctx(clerk, '2026-04-10')).next;
    expect(underReview.status).toBe('under_review');
    expect(underReview.clocks.reviewDecision?.due).toBe('2026-05-11'); // 30 days after 04-10 is 05-10, a Sunday → 05-11
    const final = run(underReview, [
      ['review-opinion', clerk, '2026-05-08', { outcome: 'reject', summary: '维持原处理意见', deliveredOn: '2026-05-08' }],
      ['request-rereview', clerk, '2026-05-20', { requestedOn: '2026-05-20' }],
      ['rereview-opinion', director, '2026-06-15', { outcome: 'reject', summary: '维持复查意见', deliveredOn: '2026-06-15' }],
    ]);
    expect(final.status).toBe('final');
    expect(applyAction(final, 'close', {}, ctx(clerk, '2026-06-16')).next.status).toBe('closed');
    expect(applyAction(delivered, 'close', {}, ctx(clerk, '2026-04-23')).next.closed?.reason).toContain('未申请复查');
  });

  it('returns an answer for rework and restarts the department clock', () => {
    const answered = run(registered(), [
      ['accept', director, '2026-03-05', {}],
      ['assign', director, '2026-03-05', { deptCode: 'HRSS' }],
      ['answer', hrss, '2026-03-20', opinion],
    ]);
    const returned = applyAction(answered, 'return', { comment: '请补充法律依据' }, ctx(director, '2026-03-21')).next;
    expect(returned.status).toBe('assigned');
    expect(returned.clocks.departmentDue?.status).toBe('running');
    expect(returned.returns).toHaveLength(1);
  });

  it('shows a department only the cases assigned to it now or before, and the archivist only archived ones', () => {
    const assigned = run(registered(), [
      ['accept', director, '2026-03-05', {}],
      ['assign', director, '2026-03-05', { deptCode: 'HRSS' }],
    ]);
    const reassigned = applyAction(assigned, 'reassign', { deptCode: 'HOUSING', reason: '职责调整' }, ctx(director, '2026-03-06')).next;
    expect(canRead(hrss, registered(), office)).toBe(false);
    expect(canRead(hrss, reassigned, office)).toBe(true);
    expect(canRead(housing, reassigned, office)).toBe(true);
    expect(canRead(archivist, reassigned, office)).toBe(false);
    expect(canRead(clerk, reassigned, office)).toBe(true);
  });

  it('lists the actions each actor can take now', () => {
    const c = registered();
    expect(availableActions(c, director, '2026-03-03')).toEqual(expect.arrayContaining(['accept', 'decline', 'transfer']));
    expect(availableActions(c, director, '2026-03-03')).not.toContain('approve-proposal');
    expect(availableActions(c, clerk, '2026-03-03')).toEqual(['propose']);
    const proposed = applyAction(c, 'propose', { action: 'accept', deptCode: 'HRSS', reason: '属劳资纠纷' }, ctx(clerk, '2026-03-03')).next;
    const approved = applyAction(proposed, 'approve-proposal', {}, ctx(director, '2026-03-04'));
    expect(approved.next.status).toBe('assigned');
    expect(approved.next.deptCode).toBe('HRSS');
  });

  it("keeps the director's comment on the decision when approving a proposal, beside the clerk's reason", () => {
    for (const proposal of [
      { action: 'accept', deptCode: 'HRSS', reason: '属劳资纠纷，拟受理并交办' },
      { action: 'transfer', transferTo: '玉溪市人力资源和社会保障局', reason: '属上级主管部门职权范围' },
      { action: 'decline', route: 'litigation', reason: '已由人民法院立案受理' },
    ]) {
      const proposed = applyRaw(registered(), 'propose', proposal, ctx(clerk, '2026-03-03')).next;
      const approved = applyAction(proposed, 'approve-proposal', { comment: '同意，请承办单位从快办理' }, ctx(director, '2026-03-04')).next;
      expect(approved.decision).toMatchObject({ action: proposal.action, reason: proposal.reason, comment: '同意，请承办单位从快办理' });
    }
  });

  it('starts a transfer-objection clock of 5 working days for a referral from above', () => {
    const c = registered({ channel: { type: 'referral', fromOrgan: '省信访局', reference: '省信转〔2026〕15号' }, receivedOn: '2026-09-30' });
    // 5 working days after Wed 2026-09-30: Oct 1–7 holiday, Oct 8 Thu, 9 Fri, 10 Sat (make-up workday), 12 Mon, 13 Tue
    expect(c.clocks.transferObjection?.due).toBe('2026-10-13');
  });
});
