/** Reading cases: one case, its timeline, the lists and the inbox; a department's recorded reveal of the petitioners' contact. */
import type { AuditEvent } from '../../domain/audit';
import { CONTACT_REVEAL_REASONS, contactRevealRefusal } from '../../domain/contact-rules';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { AWAITING_STATUS } from '../../domain/lifecycle';
import { normaliseCaseNumber } from '../../domain/numbers';
import { petitionerIdentityKeys } from '../../domain/pii';
import { hasRole, requireRole, type Actor } from '../../domain/roles';
import { auditActor } from '../actor';
import type { CaseQuery, Page } from '../ports';
import { toCaseSummary, toCaseView, type CaseSummary, type CaseView } from '../views';
import { RegistryUseCase } from './context';
import type { ContactDetails } from './types';

export class CaseReading extends RegistryUseCase {
  async getCase(actor: Actor, caseNo: string): Promise<CaseView> {
    const c = await this.visibleCase(actor, caseNo);
    const [documents, events] = await Promise.all([this.deps.repo.listDocuments(c.caseNo), this.deps.repo.listEvents(c.caseNo)]);
    return toCaseView(c, actor, { documents, events, ...this.offered(c, actor) });
  }

  async timeline(actor: Actor, caseNo: string): Promise<AuditEvent[]> {
    const c = await this.visibleCase(actor, caseNo);
    return this.deps.repo.listEvents(c.caseNo);
  }

  async list(
    actor: Actor,
    query: Omit<CaseQuery, 'petitionerKeys'> & { caseNo?: string; petitioner?: { name?: string; idNumber?: string; phone?: string } },
  ): Promise<Page<CaseSummary>> {
    // Not admin: admin configures the office and reads no case content (DESIGN §1).
    requireRole(actor, 'clerk', 'director', 'department', 'archivist');
    if (query.caseNo) {
      const c = await this.deps.repo.getCase(normaliseCaseNumber(query.caseNo));
      return { items: c && this.canRead(actor, c) ? [toCaseSummary(c, this.now().today)] : [] };
    }
    const q: CaseQuery = { ...query };
    if (query.awaiting) {
      // Each kind lives in one status (the repository reads the kind's marker items, then checks it).
      const status = AWAITING_STATUS[query.awaiting];
      if (query.status && query.status !== status) return { items: [] };
      q.status = status;
    }
    if (hasRole(actor, 'department') && !hasRole(actor, 'clerk', 'director')) {
      if (query.deptCode && query.deptCode !== actor.deptCode) return { items: [] };
      q.deptCode = actor.deptCode;
    }
    if (hasRole(actor, 'archivist') && !hasRole(actor, 'clerk', 'director', 'department')) q.status = 'archived';
    if (query.petitioner) {
      const { name, idNumber, phone } = query.petitioner;
      q.petitionerKeys = petitionerIdentityKeys(this.deps.piiKey, { name: name ?? '', idNumber, phone }).slice(0, 1);
      if (q.petitionerKeys.length === 0) throw ValidationError.field('petitioner', 'give an ID number, or a name and a phone number');
    }
    const page = await this.deps.repo.list(q);
    const { today } = this.now();
    return { items: page.items.filter((c) => this.canRead(actor, c)).map((c) => toCaseSummary(c, today)), cursor: page.cursor };
  }

  async inbox(actor: Actor, limit: number, cursor?: string): Promise<Page<CaseSummary>> {
    requireRole(actor, 'department');
    if (!actor.deptCode) throw new ForbiddenError('A department user needs a department code');
    const page = await this.deps.repo.inbox(actor.deptCode, limit, cursor);
    const { today } = this.now();
    return { items: page.items.filter((c) => this.canRead(actor, c)).map((c) => toCaseSummary(c, today)), cursor: page.cursor };
  }

  /**
   * A department reveals the contact details (ID number, phone, address) of the petitioners of a
   * case assigned to it (shared/domain/contact-rules.ts): never on an accusation, whose accuser is
   * protected. Each reveal is an audit event on the case, written before the details are handed
   * out (like a download: the chain head moves, the version does not); the event names who and
   * how many petitioners, never the values.
   */
  async revealContact(actor: Actor, caseNo: string): Promise<{ caseNo: string; petitioners: ContactDetails[] }> {
    requireRole(actor, 'department');
    const c = await this.visibleCase(actor, caseNo);
    const refusal = contactRevealRefusal(actor, c);
    if (refusal) throw new ForbiddenError(`The contact details of this case may not be revealed (${refusal})`, { reason: CONTACT_REVEAL_REASONS[refusal] });
    const { now } = this.now();
    await this.deps.repo.appendEvent(c.caseNo, {
      at: now.toISOString(),
      actor: auditActor(actor),
      type: 'case.contact-revealed',
      data: { petitioners: c.petitioners.length },
    });
    return {
      caseNo: c.caseNo,
      petitioners: c.petitioners.map((p) => ({
        name: p.name,
        ...(p.idNumber ? { idNumber: p.idNumber } : {}),
        ...(p.phone ? { phone: p.phone } : {}),
        ...(p.address ? { address: p.address } : {}),
      })),
    };
  }
}
