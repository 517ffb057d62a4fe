/** Registration: the warnings of a draft, and a new case numbered without gaps, its receipt and upload links (idempotent). */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/audit';
import { categoryProblem } from '../../domain/categories';
import type { Case, Registration } from '../../domain/case';
import { departmentNamed } from '../../domain/accused';
import { ConflictError, DomainError, NotFoundError, NumberTakenError, ValidationError } from '../../domain/errors';
import { formatCaseNumber, generateQueryCode, hashQueryCode } from '../../domain/numbers';
import { caseNumberPrefixFor } from '../../domain/office';
import { petitionerIdentityKeys } from '../../domain/pii';
import { newCase, registrationWarnings, summariseEarlier } from '../../domain/registration';
import { requireRole, type Actor } from '../../domain/roles';
import { ACCUSATION_CATEGORY } from '../../domain/taxonomy';
import { auditActor } from '../actor';
import { refreshCalendar } from '../calendar';
import { sealQueryCode } from '../query-code';
import { toCaseSummary, toCaseView } from '../views';
import { documentNumbers } from '../number-turns';
import { lettersData, NUMBER_ATTEMPTS, numberBackoff, RegistryUseCase, sleep } from './context';
import type { Registered } from './types';

const IDEMPOTENCY_WAIT_MS = [50, 100, 200, 400, 800, 1600];

/** The actor of an online submission (网上信访): no role, so it can reach no staff use case. */
export const ONLINE_ACTOR: Actor = { userId: 'online', username: 'online', displayName: '网上信访', roles: [] };

export class Registrations extends RegistryUseCase {
  /** Warnings for a draft, before it is saved: what the clerk sees at the counter. */
  async checkRegistration(actor: Actor, draft: Registration) {
    requireRole(actor, 'clerk', 'director');
    this.checkDates(draft);
    const earlier = await this.earlierCases(draft);
    return {
      warnings: registrationWarnings(earlier.map(summariseEarlier)),
      earlier: earlier.filter((c) => this.canRead(actor, c)).map((c) => toCaseSummary(c)),
    };
  }

  /** `input`: the parsed registration (RegistrationSchema, the route's body). */
  async register(actor: Actor, input: Registration, idempotencyKey?: string): Promise<Registered> {
    requireRole(actor, 'clerk');
    const draft = this.checkReferences(input);
    if (!idempotencyKey) return this.createCase(actor, draft);

    const requestHash = createHash('sha256')
      .update(canonicalJson({ actor: actor.userId, draft }))
      .digest('hex');
    for (let attempt = 0; ; attempt++) {
      const claim = await this.deps.repo.claimIdempotency(idempotencyKey, requestHash, this.deps.clock.now());
      if (claim.state === 'claimed') return this.createCase(actor, draft, { key: idempotencyKey, token: claim.token });
      if (claim.state === 'mismatch') {
        throw new DomainError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used for a different request', { idempotencyKey });
      }
      if (claim.state === 'done') return this.replay(actor, claim.caseNo, claim.queryCode);
      const wait = IDEMPOTENCY_WAIT_MS[attempt];
      if (wait === undefined) throw new ConflictError('The same registration is still being processed; retry shortly', { idempotencyKey });
      await sleep(wait);
    }
  }

  /** The day of receipt is a fact that has happened: not after today (in Beijing). */
  private checkDates(draft: Registration): void {
    const { today } = this.now();
    if (draft.receivedOn > today) throw ValidationError.field('receivedOn', `must not be in the future (today is ${today})`);
  }

  /**
   * What the schema cannot check alone: a day of receipt not after today, codes the office knows,
   * an item type that fits the category (a case in the accusation category is an accusation: its
   * accuser is protected), and accused units named without a code are given the code of the
   * department they name, so the record says plainly which department must never see it.
   */
  private checkReferences(draft: Registration): Registration {
    this.checkDates(draft);
    // The taxonomy in force (分类管理): a retired category or subcategory stays on old cases only.
    const categoryIssue = categoryProblem(this.deps.settings.categories, draft.category, draft.subcategory);
    if (categoryIssue) throw ValidationError.field(...categoryIssue);
    if (draft.locality !== undefined && !this.deps.settings.localities.some((l) => l.code === draft.locality)) {
      throw ValidationError.field('locality', `unknown locality ${draft.locality}`);
    }
    if (draft.category === ACCUSATION_CATEGORY && draft.itemType !== 'accusation') {
      throw ValidationError.field('itemType', 'a case of the accusation category (纪检监察) is an accusation: itemType must be accusation');
    }
    const accusedUnits = draft.accusedUnits.map((u, i) => {
      if (u.deptCode && !this.departments().includes(u.deptCode)) throw ValidationError.field(`accusedUnits.${i}.deptCode`, `unknown department ${u.deptCode}`);
      const named = u.deptCode ? undefined : departmentNamed(u.name, this.office());
      return named ? { ...u, deptCode: named.code } : u;
    });
    draft.uploads.forEach((u, i) => this.checkUploadSize(u, `uploads.${i}.size`));
    return { ...draft, accusedUnits };
  }

  private lookupKeys(draft: Pick<Registration, 'petitioners'>): string[] {
    // By ID number where there is one, else by name + phone.
    return draft.petitioners.flatMap((p) => petitionerIdentityKeys(this.deps.piiKey, p).slice(0, 1));
  }

  private async earlierCases(draft: Pick<Registration, 'petitioners'>): Promise<Case[]> {
    const keys = this.lookupKeys(draft);
    return keys.length === 0 ? [] : this.deps.repo.findByPetitionerKeys(keys);
  }

  /**
   * An online submission (网上信访; shared/app/online.ts has checked the challenge, the SMS code and
   * the limits): registered like a letter — numbered, its clocks started from today, the
   * registration warnings computed for the clerk, the receipt (受理凭证) issued — by no staff actor.
   */
  async registerOnline(input: Registration, extra: { smsOptOut: boolean }): Promise<Registered & { receiptDocumentId?: string }> {
    const draft = this.checkReferences(input);
    if (draft.channel.type !== 'online') throw ValidationError.field('channel', 'an online submission has the channel online');
    const registered = await this.createCase(ONLINE_ACTOR, draft, undefined, extra.smsOptOut ? { smsOptOut: true } : {});
    // The receipt prints the query code, so the petitioner's view of the case lists no letter: found here.
    const receipt = (await this.deps.repo.listDocuments(registered.case.caseNo)).find((d) => d.kind === 'generated' && d.letterKind === 'receipt');
    return { ...registered, ...(receipt ? { receiptDocumentId: receipt.documentId } : {}) };
  }

  /** The earlier cases of these identity keys (the duplicate check of an online submission). */
  casesOfPetitioner(keys: string[]): Promise<Case[]> {
    return keys.length === 0 ? Promise.resolve([]) : this.deps.repo.findByPetitionerKeys(keys);
  }

  private async createCase(
    actor: Actor,
    draft: Registration,
    idempotency?: { key: string; token: string },
    extra: Partial<Pick<Case, 'smsOptOut'>> = {},
  ): Promise<Registered> {
    await refreshCalendar(this.deps.clocks.calendar);
    const { now, today } = this.now();
    const earlier = await this.earlierCases(draft);
    if (draft.repeatOf && !earlier.some((e) => e.caseNo === draft.repeatOf) && !(await this.deps.repo.getCase(draft.repeatOf))) {
      throw ValidationError.field('repeatOf', `no case ${draft.repeatOf}`);
    }
    const year = Number(today.slice(0, 4));
    const prefix = caseNumberPrefixFor(this.deps.settings, year);
    const queryCode = generateQueryCode();
    const petitionerKeys = [...new Set(draft.petitioners.flatMap((p) => petitionerIdentityKeys(this.deps.piiKey, p)))];
    // The case takes the number after the last one taken, in the transaction that creates it: a
    // registration that fails (or dies) before it commits takes none. Lost to another: number again.
    // Within this process the numbers in flight are handed out in turn (shared/app/number-turns.ts).
    const series = `case:${prefix}-${year}`;
    for (let attempt = 1; ; attempt++) {
      const seq = await this.turns.take(series, () => this.deps.repo.lastCaseNumber(prefix, year));
      try {
        return await this.createNumbered(actor, draft, { prefix, year, seq }, { series, now, queryCode, petitionerKeys, earlier, idempotency, extra });
      } catch (err) {
        if (!(err instanceof NumberTakenError) || attempt >= NUMBER_ATTEMPTS) throw err;
        await numberBackoff(attempt);
      } finally {
        // Settled by createNumbered once its transaction is sent; a registration that failed before that gives the number up.
        this.turns.settle([{ series, seq }], false);
      }
    }
  }

  private async createNumbered(
    actor: Actor,
    draft: Registration,
    caseNumber: { prefix: string; year: number; seq: number },
    ctx: {
      /** The series of the number in this process's turns. */
      series: string;
      now: Date;
      queryCode: string;
      petitionerKeys: string[];
      earlier: Case[];
      idempotency?: { key: string; token: string };
      extra?: Partial<Pick<Case, 'smsOptOut'>>;
    },
  ): Promise<Registered> {
    const { now, queryCode, petitionerKeys, earlier, idempotency } = ctx;
    const caseNo = formatCaseNumber(caseNumber.prefix, caseNumber.year, caseNumber.seq);
    const { case: registered, event } = newCase(draft, {
      caseNo,
      queryCodeHash: hashQueryCode(this.deps.piiKey, caseNo, queryCode),
      petitionerKeys,
      earlier: earlier.map(summariseEarlier),
      actor,
      now,
      clocks: this.deps.clocks,
    });
    const c: Case = { ...registered, ...ctx.extra };
    const uploads = draft.uploads.map((u) => this.pendingDocument(caseNo, u, actor, now));
    const letters = this.deps.letters ? await this.deps.letters.issueReceipt(c, queryCode, actor) : [];
    const documents = [...uploads, ...letters];
    // Sent once the numbers handed out before this one in this process have committed or given up.
    const numbers = [{ series: ctx.series, seq: caseNumber.seq }, ...documentNumbers(documents)];
    await this.turns.turn(numbers);
    let saved: Case;
    try {
      saved = await this.deps.repo.createCase({
        case: c,
        caseNumber,
        event: {
          at: now.toISOString(),
          actor: auditActor(actor),
          type: event.type,
          data: { ...event.data, documents: uploads.length, ...lettersData(letters) },
        },
        documents,
        sealedQueryCode: sealQueryCode(this.deps.piiKey, caseNo, queryCode),
        idempotency: idempotency ? { ...idempotency, queryCode } : undefined,
      });
    } catch (err) {
      this.turns.settle(numbers, false);
      throw err;
    }
    this.turns.settle(numbers, true);
    // The case as GET /cases/{caseNo} shows it: its timeline (the registration) and the actions open to this user.
    return {
      case: toCaseView(saved, actor, { documents, events: await this.deps.repo.listEvents(saved.caseNo), ...this.offered(saved, actor) }),
      queryCode,
      uploads: await this.uploadLinks(uploads),
      replayed: false,
    };
  }

  private async replay(actor: Actor, caseNo: string, queryCode: string): Promise<Registered> {
    const c = await this.deps.repo.getCase(caseNo);
    if (!c) throw new NotFoundError('case', caseNo);
    const documents = await this.deps.repo.listDocuments(caseNo);
    const pending = documents.filter((d) => d.status === 'pending' && d.kind !== 'generated');
    return {
      case: toCaseView(c, actor, { documents, events: await this.deps.repo.listEvents(c.caseNo), ...this.offered(c, actor) }),
      queryCode,
      uploads: await this.uploadLinks(pending),
      replayed: true,
    };
  }
}
