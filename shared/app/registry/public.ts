/** The petitioner's side: the public query with case number and query code, letters to download, the letter check, the rating. */
import { type Case, type RATINGS } from '../../domain/case';
import { NotFoundError, RateLimitedError, RuleViolationError } from '../../domain/errors';
import { bodyDate } from '../../domain/chinese-date';
import { overdueClock } from '../../domain/online';
import { noticeIdOf, type Notice } from '../../domain/supervision';
import { CLOCK_LABELS, type Recipient } from '../../domain/sweep';
import { petitionerSms } from './petitioner-sms';
import { normaliseCaseNumber, verifyQueryCode } from '../../domain/numbers';
import { shanghaiDate } from '../../domain/time';
import { matchesShortHash } from '../../letters/content';
import { toPublicView, type PublicView } from '../views';
import { RegistryUseCase } from './context';
import type { LetterVerification } from './types';

export class PublicQuery extends RegistryUseCase {
  private async publicCase(caseNo: string, queryCode: string): Promise<Case> {
    const c = await this.deps.repo.getCase(normaliseCaseNumber(caseNo));
    // One answer for "no such case" and "wrong code": the query reveals nothing without both.
    if (!c || !verifyQueryCode(this.deps.piiKey, c.caseNo, queryCode, c.queryCodeHash)) throw new NotFoundError('case', caseNo);
    return c;
  }

  async publicQuery(caseNo: string, queryCode: string): Promise<PublicView> {
    return this.publicViewOf(await this.publicCase(caseNo, queryCode));
  }

  /** What the petitioner sees of a case: status, dates, the letters to them, whether 催办 is open. */
  private async publicViewOf(c: Case): Promise<PublicView> {
    const documents = await this.deps.repo.listDocuments(c.caseNo);
    return toPublicView(
      c,
      documents.filter((d) => d.toPetitioner && d.status === 'verified'),
      { today: this.now().today, urgeIntervalDays: this.deps.settings.online.urgeIntervalDays },
    );
  }

  /**
   * 催办: the petitioner urges a case whose clock (notify, handling, review or re-review decision)
   * passed its due date without an answer. Recorded on the case (`urges`, the audit event
   * `case.urged`) with a notice to the clerk and to the department holding it, and acknowledged to
   * the petitioner by SMS; at most once per `urgeIntervalDays` (429 saying since when). Refused
   * (409) while nothing is overdue.
   */
  async urge(caseNo: string, queryCode: string): Promise<PublicView> {
    const c = await this.publicCase(caseNo, queryCode);
    const { now, today } = this.now();
    const overdue = overdueClock(c, today);
    if (!overdue) throw new RuleViolationError('没有超过期限未办理的事项，暂不能催办', { status: c.status });
    const days = this.deps.settings.online.urgeIntervalDays;
    const last = c.urges?.at(-1);
    if (last) {
      const again = new Date(last.at).getTime() + days * 86_400_000;
      if (again > now.getTime()) {
        const on = shanghaiDate(new Date(last.at));
        throw new RateLimitedError(`本案已于${bodyDate(on)}催办，${days}日内只能催办一次`, Math.ceil((again - now.getTime()) / 1000), { lastUrgedOn: on });
      }
    }
    const next: Case = {
      ...c,
      urges: [...(c.urges ?? []), { at: now.toISOString(), clock: overdue.kind, due: overdue.due }],
      version: c.version + 1,
      updatedAt: now.toISOString(),
    };
    const recipients: Recipient[] = [
      { kind: 'clerk' },
      ...(c.status === 'assigned' && c.deptCode ? [{ kind: 'department' as const, deptCode: c.deptCode }] : []),
    ];
    const milestone = `urge-${now.getTime()}`;
    const notices: Notice[] = recipients.map((recipient) => ({
      noticeId: noticeIdOf({ caseNo: c.caseNo, clock: overdue.kind, due: overdue.due, milestone, recipient }),
      caseNo: c.caseNo,
      clock: overdue.kind,
      due: overdue.due,
      milestone,
      recipient,
      subject: `信访人催办：${c.caseNo}`,
      body: `信访人通过网上查询页面催办信访事项${c.caseNo}（${c.subject}）：${CLOCK_LABELS[overdue.kind]}已于${bodyDate(overdue.due)}届满，尚未办结。请及时办理并答复信访人。`,
      createdOn: today,
      createdAt: now.toISOString(),
      documentIds: [],
    }));
    const sms = petitionerSms(this.deps.settings, c, next, 'urged', now);
    const saved = await this.deps.repo.saveTransition(
      c,
      next,
      {
        at: now.toISOString(),
        actor: { public: true },
        type: 'case.urged',
        data: { clock: overdue.kind, due: overdue.due, to: recipients.map((r) => r.kind) },
      },
      { notices: [...notices, ...(sms ? [sms] : [])] },
    );
    return this.publicViewOf(saved);
  }

  async publicDownload(caseNo: string, queryCode: string, documentId: string) {
    const c = await this.publicCase(caseNo, queryCode);
    return this.issueDownload(c, documentId, { public: true }, (d) => d.toPetitioner && d.status === 'verified');
  }

  /**
   * The public letter check: does a letter with this printed hash (the 12 characters in its
   * footer) belong to this case? Answers what the letter itself prints, nothing about the case;
   * "no such case" and "no such letter" are the same 404.
   */
  async verifyLetter(caseNo: string, printedHash: string): Promise<LetterVerification> {
    const c = await this.deps.repo.getCase(normaliseCaseNumber(caseNo));
    const letter = c
      ? (await this.deps.repo.listDocuments(c.caseNo)).find(
          (d) => d.kind === 'generated' && d.status === 'verified' && d.contentHash !== undefined && matchesShortHash(d.contentHash, printedHash),
        )
      : undefined;
    if (!letter) throw new NotFoundError('letter', printedHash);
    return {
      issued: true,
      letterKind: letter.letterKind,
      ...(letter.documentNo ? { documentNo: letter.documentNo } : {}),
      issuedOn: shanghaiDate(new Date(letter.createdAt)),
    };
  }

  async rate(caseNo: string, queryCode: string, value: (typeof RATINGS)[number], comment?: string): Promise<PublicView> {
    const c = await this.publicCase(caseNo, queryCode);
    if (!['delivered', 'under_review', 'reviewed', 'under_rereview', 'final', 'closed', 'archived'].includes(c.status)) {
      throw new RuleViolationError('The answer can be rated once it has been delivered', { status: c.status });
    }
    if (c.rating) throw new RuleViolationError('This case has already been rated');
    const { now } = this.now();
    const next: Case = { ...c, rating: { value, comment, at: now.toISOString() }, version: c.version + 1, updatedAt: now.toISOString() };
    const saved = await this.deps.repo.saveTransition(c, next, { at: now.toISOString(), actor: { public: true }, type: 'case.rated', data: { rating: value } });
    return this.publicViewOf(saved);
  }
}
