/** The petitioner's side: the public query with case number and query code, letters to download, the letter check, the rating. */
import { type Case, type RATINGS } from '../../domain/case';
import { NotFoundError, RuleViolationError } from '../../domain/errors';
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
    const c = await this.publicCase(caseNo, queryCode);
    const documents = await this.deps.repo.listDocuments(c.caseNo);
    return toPublicView(
      c,
      documents.filter((d) => d.toPetitioner && d.status === 'verified'),
    );
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
    return toPublicView(
      saved,
      (await this.deps.repo.listDocuments(c.caseNo)).filter((d) => d.toPetitioner && d.status === 'verified'),
    );
  }
}
