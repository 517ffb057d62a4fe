/**
 * What leaves the registry: whitelisted views of a case. Internal fields (query-code hash,
 * identity hashes, audit head) never leave; ID and phone numbers and addresses are masked in
 * lists and for anyone but the office's own staff; the public view shows only status, dates and letters.
 */
import type { Action } from '../domain/actions';
import type { AuditEvent } from '../domain/audit';
import { STATUS_LABELS, type Case } from '../domain/case';
import type { Outcome } from '../domain/opinion';
import { awaitingApproval, type WithheldAction } from '../domain/lifecycle';
import type { DocumentRecord } from '../domain/documents';
import { maskAddress, maskIdNumber, maskPhone } from '../domain/pii';
import { hasRole, type Actor } from '../domain/roles';
import { daysLeft, type ClockKind } from '../domain/clocks';
import { CLOCK_LABELS, DASHBOARD_CLOCKS } from '../domain/sweep';
import { addDays, shanghaiDate } from '../domain/time';
import { overdueClock } from '../domain/online';
import { mayOpenQueryCodeLetter, printsQueryCode } from './query-code';

type Petitioner = Case['petitioners'][number];

/** ID number, phone and address masked (a department reveals them on its own case: Registry.revealContact). */
function maskPetitioner(p: Petitioner): Petitioner {
  return {
    ...p,
    ...(p.idNumber ? { idNumber: maskIdNumber(p.idNumber) } : {}),
    ...(p.phone ? { phone: maskPhone(p.phone) } : {}),
    ...(p.address ? { address: maskAddress(p.address) } : {}),
  };
}

export interface DocumentView {
  documentId: string;
  kind: DocumentRecord['kind'];
  letterKind?: DocumentRecord['letterKind'];
  fileName: string;
  contentType: string;
  status: DocumentRecord['status'];
  size?: number;
  sha256?: string;
  contentHash?: string;
  documentNo?: string;
  pages?: number;
  toPetitioner: boolean;
  quarantineReason?: string;
  /** Why an upload was rejected, or why a pending one expired. */
  rejectionReason?: string;
  /** A rejected re-upload: the document whose upload link was used again. */
  uploadOf?: string;
  uploadedBy: string;
  createdAt: string;
}

export function toDocumentView(d: DocumentRecord): DocumentView {
  return {
    documentId: d.documentId,
    kind: d.kind,
    letterKind: d.letterKind,
    fileName: d.fileName,
    contentType: d.contentType,
    status: d.status,
    size: d.size,
    sha256: d.sha256,
    contentHash: d.contentHash,
    documentNo: d.documentNo,
    pages: d.pages,
    toPetitioner: d.toPetitioner,
    quarantineReason: d.quarantineReason,
    rejectionReason: d.rejectionReason,
    uploadOf: d.uploadOf,
    uploadedBy: d.uploadedBy,
    createdAt: d.createdAt,
  };
}

export type CaseView = Omit<Case, 'queryCodeHash' | 'petitionerKeys' | 'auditHead'> & {
  statusLabel: string;
  documents: DocumentView[];
  timeline: AuditEvent[];
  /** Exactly the actions that would succeed for this user now (shared/domain/lifecycle.ts, holdOf). */
  actions: Action[];
  /** Actions this user's role could take at this stage that a rule holds back now, with the reason in Chinese and the day they become possible. */
  withheld: WithheldAction[];
};

export function toCaseView(
  c: Case,
  actor: Actor,
  extra: { documents: DocumentRecord[]; events: AuditEvent[]; actions?: Action[]; withheld?: WithheldAction[] },
): CaseView {
  const { queryCodeHash: _q, petitionerKeys: _k, auditHead: _h, ...rest } = c;
  const fullPii = hasRole(actor, 'clerk', 'director');
  return {
    ...rest,
    petitioners: fullPii ? c.petitioners : c.petitioners.map(maskPetitioner),
    statusLabel: STATUS_LABELS[c.status],
    // The receipt and the acceptance notice print the query code: not listed for a department.
    documents: extra.documents.filter((d) => !printsQueryCode(d) || mayOpenQueryCodeLetter(actor)).map(toDocumentView),
    timeline: extra.events,
    actions: extra.actions ?? [],
    withheld: extra.withheld ?? [],
  };
}

export interface CaseSummary {
  caseNo: string;
  version: number;
  status: Case['status'];
  statusLabel: string;
  subject: string;
  itemType: Case['itemType'];
  category: string;
  channel: Case['channel']['type'];
  receivedOn: string;
  persons: number;
  collective: boolean;
  petitioners: Petitioner[];
  deptCode?: string;
  handlingDue?: string;
  departmentDue?: string;
  /**
   * Calendar days left on the clock still counting (the department's, else the handling one), as
   * of the office's today; negative when overdue, frozen while paused, absent once both stopped.
   */
  daysLeft?: number;
  /**
   * The office's statutory deadline now counting (受理告知期限 of a registered case, 办理期限,
   * 复查期限, 复核期限 …: the clocks the sweep supervises, the department's own date aside), what
   * lists show as 法定期限; absent when none counts.
   */
  statutory?: SummaryClock;
  /** The department's internal due date while it counts (shown beside the statutory one). */
  department?: SummaryClock;
  firstTime: boolean;
  /** What awaits the director's approval, who asked and when (the approvals queue). */
  awaiting?: AwaitingSummary;
}

/** One deadline in a list: which clock, its date, the days left as of the office's today. */
export interface SummaryClock {
  clock: ClockKind;
  label: string;
  due: string;
  daysLeft?: number;
  paused: boolean;
}

/** The statutory clocks in the order a case meets them; the department's due date is not one. */
const STATUTORY_CLOCKS = DASHBOARD_CLOCKS.filter((k) => k !== 'departmentDue');

function summaryClock(c: Case, kind: ClockKind, today: string | undefined): SummaryClock | undefined {
  const k = c.clocks[kind];
  if (!k || k.status === 'stopped') return undefined;
  return { clock: kind, label: CLOCK_LABELS[kind], due: k.due, daysLeft: today ? daysLeft(k, today) : undefined, paused: k.status === 'paused' };
}

/** `due`: the deadline the approval works against (受理告知期限 for a proposal, else the handling due date). */
export type AwaitingSummary =
  | {
      kind: 'proposal';
      by: string;
      at: string;
      due?: string;
      action: 'accept' | 'decline' | 'transfer';
      deptCode?: string;
      transferTo?: string;
      route?: string;
      reason: string;
    }
  | { kind: 'extension'; by: string; at: string; due?: string; days: number; reason: string }
  | { kind: 'reply'; by: string; at: string; due?: string; outcome: Outcome; deptCode?: string };

function awaitingSummary(c: Case): AwaitingSummary | undefined {
  switch (awaitingApproval(c)) {
    case 'proposal': {
      const p = c.proposal!;
      return {
        kind: 'proposal',
        by: p.by,
        at: p.at,
        due: c.clocks.notify?.due,
        action: p.action,
        deptCode: p.deptCode,
        transferTo: p.transferTo,
        route: p.route,
        reason: p.reason,
      };
    }
    case 'extension': {
      const e = c.extensionRequest!;
      return { kind: 'extension', by: e.by, at: e.at, due: c.clocks.handling?.due, days: e.days, reason: e.reason };
    }
    case 'reply': {
      const a = c.answer!;
      return { kind: 'reply', by: a.by, at: a.at, due: c.clocks.handling?.due, outcome: a.outcome, deptCode: c.deptCode };
    }
    default:
      return undefined;
  }
}

export function toCaseSummary(c: Case, today?: string): CaseSummary {
  const handlingDue = c.clocks.handling?.due;
  const departmentDue = c.clocks.departmentDue?.due;
  // The clock still counting: the department's while it works on the case, else the office's.
  const counting = [c.clocks.departmentDue, c.clocks.handling].find((k) => k !== undefined && k.status !== 'stopped');
  return {
    caseNo: c.caseNo,
    version: c.version,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status],
    subject: c.subject,
    itemType: c.itemType,
    category: c.category,
    channel: c.channel.type,
    receivedOn: c.receivedOn,
    persons: c.persons,
    collective: c.collective,
    // Lists always mask ID and phone numbers.
    petitioners: c.petitioners.map(maskPetitioner),
    deptCode: c.deptCode,
    handlingDue,
    departmentDue,
    daysLeft: today && counting ? daysLeft(counting, today) : undefined,
    statutory: STATUTORY_CLOCKS.map((k) => summaryClock(c, k, today)).find((k) => k !== undefined),
    department: summaryClock(c, 'departmentDue', today),
    firstTime: c.firstTime,
    awaiting: awaitingSummary(c),
  };
}

export interface PublicView {
  caseNo: string;
  status: Case['status'];
  statusLabel: string;
  receivedOn: string;
  /** When the office must tell whether it accepts (受理告知期限). */
  notifyDue?: string;
  accepted?: string;
  handlingDue?: string;
  deliveredOn?: string;
  /** Last date to ask for a review (复查), once the reply is delivered. */
  reviewRequestDue?: string;
  rereviewRequestDue?: string;
  letters: { documentId: string; letterKind?: string; fileName: string; contentHash?: string; documentNo?: string; createdAt: string }[];
  rating?: Case['rating'];
  canRate: boolean;
  /** 催办 is open now (a clock past its due date, no urge within the office's interval). */
  canUrge: boolean;
  lastUrgedOn?: string;
}

export function toPublicView(c: Case, letters: DocumentRecord[], urging?: { today: string; urgeIntervalDays: number }): PublicView {
  const lastUrge = c.urges?.at(-1);
  const open = (k: string) => c.clocks[k]?.due;
  return {
    caseNo: c.caseNo,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status],
    receivedOn: c.receivedOn,
    notifyDue: open('notify'),
    // The office's calendar day (an acceptance at 01:00 in Beijing is still that day, not the day before in UTC).
    accepted: c.decision?.action === 'accept' ? shanghaiDate(new Date(c.decision.at)) : undefined,
    handlingDue: open('handling'),
    deliveredOn: c.delivery?.deliveredOn,
    reviewRequestDue: open('reviewRequestWindow'),
    rereviewRequestDue: open('rereviewRequestWindow'),
    letters: letters.map((d) => ({
      documentId: d.documentId,
      letterKind: d.letterKind,
      fileName: d.fileName,
      contentHash: d.contentHash,
      documentNo: d.documentNo,
      createdAt: d.createdAt,
    })),
    rating: c.rating,
    canRate: !c.rating && ['delivered', 'under_review', 'reviewed', 'under_rereview', 'final', 'closed'].includes(c.status),
    // 催办: a clock past its due date, and no urge within the interval (the same checks as Registry.urge).
    canUrge:
      urging !== undefined &&
      overdueClock(c, urging.today) !== null &&
      (!lastUrge || addDays(shanghaiDate(new Date(lastUrge.at)), urging.urgeIntervalDays) <= urging.today),
    ...(lastUrge ? { lastUrgedOn: shanghaiDate(new Date(lastUrge.at)) } : {}),
  };
}
