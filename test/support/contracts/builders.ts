/**
 * Cases and records for the contract suites: built by the domain (newCase, applyAction), each
 * under a case-number prefix of its own, so the suites share a table with nothing else in it
 * being theirs.
 */
import { randomUUID } from 'node:crypto';
import type { EventDraft } from '../../../shared/app/ports';
import type { Action } from '../../../shared/domain/actions';
import { RegistrationSchema, type Case, type RegistrationInput } from '../../../shared/domain/case';
import { officeCalendar } from '../../../shared/domain/clocks';
import type { DocumentRecord } from '../../../shared/domain/documents';
import { ACTION_INPUTS, applyAction } from '../../../shared/domain/lifecycle';
import { DEFAULT_DEPARTMENTS } from '../../../shared/domain/office';
import { formatCaseNumber } from '../../../shared/domain/numbers';
import { newCase } from '../../../shared/domain/registration';
import type { Actor } from '../../../shared/domain/roles';
import { clerk, draft } from '../../unit/lifecycle/fixtures';
import { parseInput } from '../../../shared/domain/validation';

let prefixes = 0;
/** A case-number prefix no other test of the run uses (1–8 upper-case letters or digits). */
export function uniquePrefix(): string {
  prefixes += 1;
  return `K${process.pid.toString(36).toUpperCase().slice(-3)}${prefixes.toString(36).toUpperCase()}`.slice(0, 8);
}

/** A new case as registration builds it, numbered `seq` of `prefix` in 2026, received on `receivedOn`. */
export function newTestCase(prefix: string, seq: number, over: Partial<RegistrationInput> = {}, petitionerKeys: string[] = [`id:${randomUUID()}`]): Case {
  const { case: c } = newCase(RegistrationSchema.parse(draft(over)), {
    caseNo: formatCaseNumber(prefix, 2026, seq),
    queryCodeHash: 'h',
    petitionerKeys,
    earlier: [],
    actor: clerk,
    now: new Date(`${over.receivedOn ?? '2026-03-02'}T02:00:00Z`),
    clocks: { calendar: officeCalendar },
  });
  return c;
}

/** The case after `action` (by `actor`, on `today`), as a use case would hand it to the repository. */
export function next(c: Case, action: Action, actor: Actor, today: string, input: unknown = {}): Case {
  return applyAction(c, action, parseInput(ACTION_INPUTS[action], input), {
    actor,
    now: new Date(`${today}T03:00:00Z`),
    today,
    clocks: { calendar: officeCalendar },
    departments: DEFAULT_DEPARTMENTS,
    locality: '江川市',
  }).next;
}

export function event(type: string, at = '2026-03-02T02:00:00.000Z'): EventDraft {
  return { at, actor: { userId: 'u-test', username: 'tester', roles: ['clerk'] }, type, data: {} };
}

export function documentOf(caseNo: string, over: Partial<DocumentRecord> = {}): DocumentRecord {
  const documentId = randomUUID();
  return {
    caseNo,
    documentId,
    kind: 'letter',
    toPetitioner: false,
    fileName: '来信.pdf',
    contentType: 'application/pdf',
    declaredSize: 10,
    key: `uploads/${caseNo}/${documentId}`,
    status: 'pending',
    uploadedBy: 'clerk1',
    createdAt: '2026-03-02T02:00:00.000Z',
    ...over,
  };
}

/** A numbered letter of `series`, number `seq`. */
export function letterOf(caseNo: string, series: string, seq: number): DocumentRecord {
  return documentOf(caseNo, {
    kind: 'generated',
    letterKind: 'acceptance-notice',
    status: 'verified',
    documentNo: `${series}-${seq}`,
    numbering: { series, seq },
  });
}
