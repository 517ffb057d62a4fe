import type { Case, Registration, RegistrationInput } from '../../../shared/domain/case';
import { RegistrationSchema } from '../../../shared/domain/case';
import { ACTION_INPUTS, applyAction, type ActionContext, type TransitionResult } from '../../../shared/domain/lifecycle';
import type { Action } from '../../../shared/domain/actions';
import { newCase, type EarlierCase } from '../../../shared/domain/registration';
import type { Actor } from '../../../shared/domain/roles';
import { DEFAULT_DEPARTMENTS } from '../../../shared/domain/office';
import { defaultCalendar } from '../../../shared/domain/clocks';
import { parseInput } from '../../../shared/domain/validation';
import { parseActionBody, type ActionBody } from '../../../shared/app/action-body';

export const clerk: Actor = { userId: 'u-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
export const director: Actor = { userId: 'u-dir', username: 'director1', displayName: '李建国', roles: ['director'] };
export const hrss: Actor = { userId: 'u-hrss', username: 'hrss1', displayName: '周强', roles: ['department'], deptCode: 'HRSS' };
export const housing: Actor = { userId: 'u-housing', username: 'housing1', displayName: '吴磊', roles: ['department'], deptCode: 'HOUSING' };
export const archivist: Actor = { userId: 'u-arch', username: 'archivist1', displayName: '赵敏', roles: ['archivist'] };

export const draft = (over: Partial<RegistrationInput> = {}): RegistrationInput => ({
  petitioners: [{ name: '张建华', idNumber: '11010519491231002X', phone: '13812345678', address: '江川市城南区建设路12号' }],
  persons: 1,
  channel: { type: 'letter' },
  itemType: 'request-appeal',
  category: 'labour',
  subject: '请求协调解决拖欠工资问题',
  summary: '信访人反映某建筑公司拖欠其2025年工资共计3.2万元，多次讨要未果。',
  receivedOn: '2026-03-02',
  ...over,
});

/** A draft as the registration route parses it (the use cases take the parsed registration). */
export const registration = (over: Partial<RegistrationInput> = {}): Registration => RegistrationSchema.parse(draft(over));

/** An action's body as its route parses it (the use cases take the parsed body). */
export const body = <A extends Action>(action: A, raw: unknown = {}): ActionBody<A> => parseActionBody(action, raw);

/**
 * An action on a raw input, parsed first as its route would (a 400 for a bad one, before the
 * lifecycle's own checks): what the lifecycle tests drive.
 */
export function applyRaw(c: Case, action: Action, raw: unknown, context: ActionContext): TransitionResult {
  return applyAction(c, action, parseInput(ACTION_INPUTS[action], raw ?? {}), context);
}

export function registered(over: Partial<RegistrationInput> = {}, earlier: EarlierCase[] = []): Case {
  const { case: c } = newCase(RegistrationSchema.parse(draft(over)), {
    caseNo: 'XF-2026-000001',
    queryCodeHash: 'h',
    petitionerKeys: ['id:abc'],
    earlier,
    actor: clerk,
    now: new Date('2026-03-02T02:00:00Z'),
    clocks: { calendar: defaultCalendar },
  });
  return { ...c, auditSeq: 1, auditHead: 'x' };
}

/** The office as the Art. 30 rule reads it: the default departments, in 江川市. */
export const office = { departments: DEFAULT_DEPARTMENTS, locality: '江川市' };

export function ctx(actor: Actor, today: string): ActionContext {
  return { actor, now: new Date(`${today}T03:00:00Z`), today, clocks: { calendar: defaultCalendar }, ...office };
}

/** Applies a list of steps, returning the final case. */
export function run(c: Case, steps: [Action, Actor, string, unknown][]): Case {
  return steps.reduce((acc, [action, actor, today, input]) => applyRaw(acc, action, input, ctx(actor, today)).next, c);
}

export const opinion = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，该公司确实拖欠信访人工资3.2万元。',
  decision: '责令该公司于十五日内足额支付。',
  outcome: 'support' as const,
  legalBasis: '《保障农民工工资支付条例》第三条',
};
