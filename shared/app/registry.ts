/**
 * The registry's use cases. Each method: check who is asking, load through the ports, let the
 * domain decide, write through the ports. No AWS SDK here; adapters are injected.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Action } from '../domain/actions';
import { canonicalJson, type AuditActor, type AuditEvent } from '../domain/audit';
import { RegistrationSchema, STATUS_LABELS, type Case, type RATINGS, type Registration, type UploadRequest } from '../domain/case';
import type { CaseClockContext } from '../domain/clocks';
import { mayLandUpload, mayRequestUpload, type DocumentRecord } from '../domain/documents';
import { CONTACT_REVEAL_REASONS, contactRevealRefusal } from '../domain/contact-rules';
import { parseUploadKey, uploadKey, UPLOADS_PREFIX, verifiedKey } from '../storage/object-keys';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, NumberTakenError, RuleViolationError, ValidationError } from '../domain/errors';
import { matchesDeclaredType, MAGIC_BYTES_NEEDED } from '../domain/filetypes';
import { departmentNamed, type OfficeDirectory } from '../domain/accused';
import { applyAction, availableActions, AWAITING_STATUS, canRead, withheldActions, type TransitionResult } from '../domain/lifecycle';
import { formatCaseNumber, generateQueryCode, hashQueryCode, normaliseCaseNumber, verifyQueryCode } from '../domain/numbers';
import type { OfficeSettings } from '../domain/office';
import { petitionerIdentityKeys, type HashKey } from '../domain/pii';
import { newCase, registrationWarnings, summariseEarlier } from '../domain/registration';
import { hasRole, requireRole, type Actor } from '../domain/roles';
import { ACCUSATION_CATEGORY } from '../domain/taxonomy';
import { officeDirectory } from '../domain/office';
import { shanghaiDate, type Clock } from '../domain/time';
import { matchesShortHash } from '../letters/content';
import { refreshCalendar } from './calendar';
import { mayOpenQueryCodeLetter, openQueryCode, printsQueryCode, sealQueryCode } from './query-code';
import type { CaseQuery, CaseRepository, DocumentStorage, ObjectInspection, Page, PresignedPost } from './ports';
import { toCaseSummary, toCaseView, toPublicView, type CaseSummary, type CaseView, type PublicView } from './views';

export interface RegistryDeps {
  repo: CaseRepository;
  storage: DocumentStorage;
  clock: Clock;
  settings: OfficeSettings;
  clocks: CaseClockContext;
  piiKey: HashKey;
  /** Renders the letters a transition issues (shared/app/letters.ts); optional. */
  letters?: LetterIssuer;
  newId?: () => string;
}

/** What the issuer may need beyond the case and the transition. */
export interface IssueContext {
  action: Action;
  /** The request body as sent: some letters take content the lifecycle does not keep. */
  input: unknown;
  /** The petitioner's query code, recovered from its seal (for the letters that print it). */
  queryCode(): Promise<string>;
  /** The case's documents. */
  documents(): Promise<DocumentRecord[]>;
}

/**
 * Issues the letters of a transition: checks, numbers, renders and stores them, and returns their
 * document records, which the registry saves with the transition. A ValidationError (400) is
 * thrown before anything is stored.
 */
export interface LetterIssuer {
  issue(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<DocumentRecord[]>;
  /** The receipt (受理凭证) of a new case, with its query code. */
  issueReceipt(c: Case, queryCode: string, actor: Actor): Promise<DocumentRecord[]>;
  /**
   * The letters a transition would issue, rendered with a placeholder for the document number:
   * no number is taken, nothing is stored (the letter preview).
   */
  preview(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<RenderedPreview[]>;
  /** Step 1 of issuing only: the letters' data, content and font checked; nothing numbered, rendered or stored. */
  check(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<void>;
}

/** One letter rendered for the preview, before it is issued. */
export interface RenderedPreview {
  letterKind: NonNullable<DocumentRecord['letterKind']>;
  title: string;
  /** The placeholder printed where the document number will be, or null (a letter without one). */
  documentNo: string | null;
  pages: number;
  bytes: Uint8Array;
}

/** What the letter preview returns: each letter as a base64 PDF (1–3 pages, tens of KB). */
export interface LetterPreview {
  caseNo: string;
  /** The version of the case the letters were rendered from. */
  version: number;
  action: Action;
  letters: {
    letterKind: RenderedPreview['letterKind'];
    title: string;
    documentNo: string | null;
    pages: number;
    contentType: 'application/pdf';
    size: number;
    pdfBase64: string;
  }[];
}

/** What the public letter check answers: that such a letter was issued, and nothing else. */
export interface LetterVerification {
  issued: true;
  letterKind: DocumentRecord['letterKind'];
  documentNo?: string;
  issuedOn: string;
}

export interface UploadLink {
  documentId: string;
  fileName: string;
  upload: PresignedPost;
}

export interface Registered {
  case: CaseView;
  /** Shown once, on the receipt: the petitioner's query code (查询码). */
  queryCode: string;
  uploads: UploadLink[];
  replayed: boolean;
}

const IDEMPOTENCY_WAIT_MS = [50, 100, 200, 400, 800, 1600];
/**
 * How often a registration or a letter is numbered again when another one took its number first
 * (the numbers are taken in the transaction that stores them). Each round one of the contenders
 * wins, so this bounds the registrations (or letters of one series) in flight at the same moment.
 */
const NUMBER_ATTEMPTS = 40;

/** A pending upload is reconciled this long after its link expired (a late S3 event still lands first). */
export const RECONCILE_GRACE_MS = 15 * 60_000;

/** What the daily upload reconciliation did. */
export interface UploadReconciliation {
  /** Pending uploads whose link had expired. */
  checked: number;
  verified: number;
  quarantined: number;
  rejected: number;
  /** No file had arrived. */
  expired: number;
  /**
   * Files found at the upload key of a document already settled (each check deletes its file):
   * a second use of a link whose event was lost (refused), or a document verified before verified
   * copies existed (moved to its copy, or quarantined if its bytes changed since).
   */
  leftovers: number;
  /** False when the run stopped at its deadline (the next run continues). */
  complete: boolean;
}

function countStatus(report: UploadReconciliation, status: DocumentRecord['status']): void {
  if (status === 'verified' || status === 'quarantined' || status === 'rejected' || status === 'expired') report[status] += 1;
}

const DOC_STATUS_LABELS: Record<DocumentRecord['status'], string> = {
  pending: '待校验',
  verified: '校验',
  quarantined: '隔离',
  rejected: '拒绝',
  expired: '过期',
};

function statusLabel(status: Case['status']): string {
  return STATUS_LABELS[status];
}

/** A petitioner's contact details in full (a department's recorded reveal). */
export interface ContactDetails {
  name: string;
  idNumber?: string;
  phone?: string;
  address?: string;
}

export class Registry {
  private readonly newId: () => string;
  constructor(private readonly deps: RegistryDeps) {
    this.newId = deps.newId ?? (() => randomUUID());
  }

  private now() {
    const now = this.deps.clock.now();
    return { now, today: shanghaiDate(now) };
  }

  private departments(): string[] {
    return this.deps.settings.departments.map((d) => d.code);
  }

  /** The office's departments and locality: what assignment and the Art. 30 rule check against. */
  private office(): OfficeDirectory {
    return officeDirectory(this.deps.settings);
  }

  private canRead(actor: Actor, c: Case): boolean {
    return canRead(actor, c, this.office());
  }

  // ---- registration -------------------------------------------------------------------------

  /** Warnings for a draft, before it is saved: what the clerk sees at the counter. */
  async checkRegistration(actor: Actor, input: unknown) {
    requireRole(actor, 'clerk', 'director');
    const draft = parse(RegistrationSchema, input);
    this.checkDates(draft);
    const earlier = await this.earlierCases(draft);
    return {
      warnings: registrationWarnings(earlier.map(summariseEarlier)),
      earlier: earlier.filter((c) => this.canRead(actor, c)).map((c) => toCaseSummary(c)),
    };
  }

  async register(actor: Actor, input: unknown, idempotencyKey?: string): Promise<Registered> {
    requireRole(actor, 'clerk');
    const draft = this.checkReferences(parse(RegistrationSchema, input));
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
    if (!this.deps.settings.categories.some((c) => c.code === draft.category)) {
      throw ValidationError.field('category', `unknown category ${draft.category}`);
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

  private checkUploadSize(u: UploadRequest, field: string): void {
    if (u.size > this.deps.settings.maxUploadBytes) throw ValidationError.field(field, `must be at most ${this.deps.settings.maxUploadBytes} bytes`);
  }

  private lookupKeys(draft: Pick<Registration, 'petitioners'>): string[] {
    // By ID number where there is one, else by name + phone.
    return draft.petitioners.flatMap((p) => petitionerIdentityKeys(this.deps.piiKey, p).slice(0, 1));
  }

  private async earlierCases(draft: Pick<Registration, 'petitioners'>): Promise<Case[]> {
    const keys = this.lookupKeys(draft);
    return keys.length === 0 ? [] : this.deps.repo.findByPetitionerKeys(keys);
  }

  private async createCase(actor: Actor, draft: Registration, idempotency?: { key: string; token: string }): Promise<Registered> {
    await refreshCalendar(this.deps.clocks.calendar);
    const { now, today } = this.now();
    const earlier = await this.earlierCases(draft);
    if (draft.repeatOf && !earlier.some((e) => e.caseNo === draft.repeatOf) && !(await this.deps.repo.getCase(draft.repeatOf))) {
      throw ValidationError.field('repeatOf', `no case ${draft.repeatOf}`);
    }
    const year = Number(today.slice(0, 4));
    const prefix = this.deps.settings.caseNumberPrefix;
    const queryCode = generateQueryCode();
    const petitionerKeys = [...new Set(draft.petitioners.flatMap((p) => petitionerIdentityKeys(this.deps.piiKey, p)))];
    // The case takes the number after the last one taken, in the transaction that creates it: a
    // registration that fails (or dies) before it commits takes none. Lost to another: number again.
    for (let attempt = 1; ; attempt++) {
      const seq = (await this.deps.repo.lastCaseNumber(prefix, year)) + 1;
      try {
        return await this.createNumbered(actor, draft, { prefix, year, seq }, { now, queryCode, petitionerKeys, earlier, idempotency });
      } catch (err) {
        if (!(err instanceof NumberTakenError) || attempt >= NUMBER_ATTEMPTS) throw err;
        await numberBackoff(attempt);
      }
    }
  }

  private async createNumbered(
    actor: Actor,
    draft: Registration,
    caseNumber: { prefix: string; year: number; seq: number },
    ctx: { now: Date; queryCode: string; petitionerKeys: string[]; earlier: Case[]; idempotency?: { key: string; token: string } },
  ): Promise<Registered> {
    const { now, queryCode, petitionerKeys, earlier, idempotency } = ctx;
    const caseNo = formatCaseNumber(caseNumber.prefix, caseNumber.year, caseNumber.seq);
    const { case: c, event } = newCase(draft, {
      caseNo,
      queryCodeHash: hashQueryCode(this.deps.piiKey, caseNo, queryCode),
      petitionerKeys,
      earlier: earlier.map(summariseEarlier),
      actor,
      now,
      clocks: this.deps.clocks,
    });
    const uploads = draft.uploads.map((u) => this.pendingDocument(caseNo, u, actor, now));
    const letters = this.deps.letters ? await this.deps.letters.issueReceipt(c, queryCode, actor) : [];
    const documents = [...uploads, ...letters];
    const saved = await this.deps.repo.createCase({
      case: c,
      caseNumber,
      event: { at: now.toISOString(), actor: auditActor(actor), type: event.type, data: { ...event.data, documents: uploads.length, ...lettersData(letters) } },
      documents,
      sealedQueryCode: sealQueryCode(this.deps.piiKey, caseNo, queryCode),
      idempotency: idempotency ? { ...idempotency, queryCode } : undefined,
    });
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

  private pendingDocument(caseNo: string, u: UploadRequest, actor: Actor, now: Date): DocumentRecord {
    const documentId = this.newId();
    return {
      caseNo,
      documentId,
      kind: u.kind,
      toPetitioner: false,
      fileName: u.fileName,
      contentType: u.contentType,
      declaredSize: u.size,
      key: uploadKey(caseNo, documentId),
      status: 'pending',
      uploadExpiresAt: new Date(now.getTime() + this.deps.settings.uploadLinkSeconds * 1000).toISOString(),
      uploadedBy: actor.username,
      createdAt: now.toISOString(),
    };
  }

  /**
   * The presigned POSTs of pending documents. A link never outlives the document's recorded
   * expiry (a replayed registration gets what is left of it, or none), so once that has passed
   * no file can arrive and the reconciliation may settle the document.
   */
  private async uploadLinks(documents: DocumentRecord[]): Promise<UploadLink[]> {
    const now = this.deps.clock.now().getTime();
    const links: UploadLink[] = [];
    for (const d of documents) {
      const until = d.uploadExpiresAt ? new Date(d.uploadExpiresAt).getTime() : new Date(d.createdAt).getTime() + this.deps.settings.uploadLinkSeconds * 1000;
      const expiresInSec = Math.floor((until - now) / 1000);
      if (expiresInSec < 1) continue;
      links.push({
        documentId: d.documentId,
        fileName: d.fileName,
        upload: await this.deps.storage.presignUpload({
          key: uploadKey(d.caseNo, d.documentId),
          contentType: d.contentType,
          size: d.declaredSize,
          expiresInSec,
        }),
      });
    }
    return links;
  }

  // ---- reading ------------------------------------------------------------------------------

  /** The case if this actor may see it; otherwise "not found", whether it exists or not. */
  private async visibleCase(actor: Actor, caseNo: string): Promise<Case> {
    const normalised = normaliseCaseNumber(caseNo);
    const c = await this.deps.repo.getCase(normalised);
    if (!c || !this.canRead(actor, c)) throw new NotFoundError('case', caseNo);
    return c;
  }

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

  // ---- transitions --------------------------------------------------------------------------

  async act(actor: Actor, caseNo: string, action: Action, input: unknown, ifMatch: number | undefined): Promise<CaseView> {
    if (ifMatch === undefined) throw new DomainError('PRECONDITION_REQUIRED', 'Send the version you read as If-Match');
    const c = await this.visibleCase(actor, caseNo);
    if (c.version !== ifMatch) throw new ConflictError('The case was changed by someone else; reload and try again', { expected: ifMatch, current: c.version });
    await refreshCalendar(this.deps.clocks.calendar);
    const { now, today } = this.now();
    const result = applyAction(c, action, input, { actor, now, today, clocks: this.deps.clocks, ...this.office() });
    // Letters are checked, numbered, rendered and stored first (a 400 stores nothing); their
    // records are saved with the transition, which takes their numbers, and its audit event names
    // them. A letter of the same series issued meanwhile took the number: number again and retry.
    for (let attempt = 1; ; attempt++) {
      const documents =
        this.deps.letters && result.letters.length > 0
          ? await this.deps.letters.issue(c, result, actor, {
              action,
              input,
              queryCode: () => this.recoverQueryCode(c),
              documents: () => this.deps.repo.listDocuments(c.caseNo),
            })
          : [];
      const event = { at: now.toISOString(), actor: auditActor(actor), type: result.event.type, data: { ...result.event.data, ...lettersData(documents) } };
      try {
        const saved = await this.deps.repo.saveTransition(c, result.next, event, { documents });
        return toCaseView(saved, actor, { documents: await this.deps.repo.listDocuments(c.caseNo), events: [], ...this.offered(saved, actor) });
      } catch (err) {
        if (!(err instanceof NumberTakenError) || attempt >= NUMBER_ATTEMPTS) throw err;
        await numberBackoff(attempt);
      }
    }
  }

  /** The actions the case offers this actor today, and those held back with the reason (the same checks as applyAction). */
  private offered(c: Case, actor: Actor) {
    const { today } = this.now();
    return { actions: availableActions(c, actor, today), withheld: withheldActions(c, actor, today) };
  }

  /**
   * A dry run of an action: every check `act` makes — who, from which status, what holds it
   * back, the body, the version, the content and font of the letters it would issue — on the
   * current case, without numbering, rendering, storing or recording anything. Resolves with the
   * case as it would be; rejects with the error `act` would answer.
   */
  async dryRun(actor: Actor, caseNo: string, action: Action, input: unknown, ifMatch?: number): Promise<Case> {
    const c = await this.visibleCase(actor, caseNo);
    if (ifMatch !== undefined && c.version !== ifMatch)
      throw new ConflictError('The case was changed by someone else; reload and try again', { expected: ifMatch, current: c.version });
    return this.dryRunOn(actor, c, action, input);
  }

  /** The dry run on a case already read (and visible to the actor): the same checks, nothing read again. */
  async dryRunOn(actor: Actor, c: Case, action: Action, input: unknown): Promise<Case> {
    if (!this.canRead(actor, c)) throw new NotFoundError('case', c.caseNo);
    const { now, today } = this.now();
    const result = applyAction(c, action, input, { actor, now, today, clocks: this.deps.clocks, ...this.office() });
    if (this.deps.letters && result.letters.length > 0) {
      await this.deps.letters.check(c, result, actor, {
        action,
        input,
        queryCode: () => this.recoverQueryCode(c),
        documents: () => this.deps.repo.listDocuments(c.caseNo),
      });
    }
    return result.next;
  }

  /**
   * The letter preview: the letters `action` would issue now, rendered from the current case with
   * a placeholder document number. The same checks as the action (who, from which status, the
   * body), so only a user who may take the action sees its letter; nothing is numbered, stored
   * or recorded. If-Match is optional here: with it, a preview of a stale case is a 409.
   */
  async previewLetters(actor: Actor, caseNo: string, action: Action, input: unknown, ifMatch?: number): Promise<LetterPreview> {
    const c = await this.visibleCase(actor, caseNo);
    if (ifMatch !== undefined && c.version !== ifMatch)
      throw new ConflictError('The case was changed by someone else; reload and try again', { expected: ifMatch, current: c.version });
    await refreshCalendar(this.deps.clocks.calendar);
    const { now, today } = this.now();
    const result = applyAction(c, action, input, { actor, now, today, clocks: this.deps.clocks, ...this.office() });
    const rendered =
      this.deps.letters && result.letters.length > 0
        ? await this.deps.letters.preview(c, result, actor, {
            action,
            input,
            queryCode: () => this.recoverQueryCode(c),
            documents: () => this.deps.repo.listDocuments(c.caseNo),
          })
        : [];
    return {
      caseNo: c.caseNo,
      version: c.version,
      action,
      letters: rendered.map(({ bytes, ...l }) => ({
        ...l,
        contentType: 'application/pdf' as const,
        size: bytes.byteLength,
        pdfBase64: Buffer.from(bytes).toString('base64'),
      })),
    };
  }

  // ---- documents ----------------------------------------------------------------------------

  async createUpload(actor: Actor, caseNo: string, request: UploadRequest): Promise<UploadLink> {
    const c = await this.visibleCase(actor, caseNo);
    if (request.kind === 'response') {
      if (!hasRole(actor, 'department') || c.deptCode !== actor.deptCode) throw new ForbiddenError('Only the department handling the case uploads responses');
      if (!mayRequestUpload(c, request.kind)) throw new RuleViolationError('Responses are uploaded while the case is assigned', { status: c.status });
    } else {
      requireRole(actor, 'clerk');
      if (!mayRequestUpload(c, request.kind))
        throw new RuleViolationError(`No uploads to a ${c.status} case: the office is no longer working on it`, { status: c.status });
    }
    this.checkUploadSize(request, 'size');
    const { now } = this.now();
    const doc = this.pendingDocument(c.caseNo, request, actor, now);
    await this.deps.repo.putDocument(doc, {
      at: now.toISOString(),
      actor: auditActor(actor),
      type: 'document.upload-requested',
      data: { documentId: doc.documentId, kind: doc.kind, contentType: doc.contentType, size: doc.declaredSize },
    });
    const [link] = await this.uploadLinks([doc]);
    return link as UploadLink;
  }

  async download(actor: Actor, caseNo: string, documentId: string): Promise<{ url: string; expiresInSec: number; document: DocumentRecord }> {
    const c = await this.visibleCase(actor, caseNo);
    // A letter that prints the query code is for the office and the petitioner, not a department.
    return this.issueDownload(c, documentId, auditActor(actor), (d) => d.status === 'verified' && (!printsQueryCode(d) || mayOpenQueryCodeLetter(actor)));
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

  private async issueDownload(c: Case, documentId: string, actor: AuditActor, allowed: (d: DocumentRecord) => boolean) {
    const doc = await this.deps.repo.getDocument(c.caseNo, documentId);
    if (!doc || !allowed(doc)) throw new NotFoundError('document', documentId);
    // An archived case's files are in the archive: retrieved by an archivist, or lent (shared/app/archive.ts).
    if (c.status === 'archived')
      throw new RuleViolationError('The files of an archived case are kept in the archive: an archivist retrieves them or lends them', {
        archiveNo: c.archive?.archiveNo,
      });
    // Never from an upload key, which a link could overwrite: a document verified before verified
    // copies existed is served once the upload reconciliation has moved it to its copy.
    if (parseUploadKey(doc.key))
      throw new RuleViolationError('This document is being moved to its verified copy (the upload reconciliation does it); try again later', {
        documentId,
        reason: '该材料正在转存为校验副本，请稍后再下载',
      });
    const { now } = this.now();
    // Recorded before the link is handed out: no download without its audit event.
    await this.deps.repo.appendEvent(c.caseNo, {
      at: now.toISOString(),
      actor,
      type: 'document.downloaded',
      data: { documentId, kind: doc.kind, fileName: doc.fileName },
    });
    const expiresInSec = this.deps.settings.downloadLinkSeconds;
    const url = await this.deps.storage.presignDownload({ key: doc.key, fileName: doc.fileName, contentType: doc.contentType, expiresInSec });
    return { url, expiresInSec, document: doc };
  }

  /**
   * The upload check: runs when an object lands at an upload key (S3's event, at least once), and
   * from the daily reconciliation. Idempotent.
   *
   * - A pending document: the file is first copied to its `verified/` key, which no upload policy
   *   covers, and that copy is checked (size, magic bytes, SHA-256), so what is recorded is
   *   exactly what downloads and the archive will read. It passes (verified, the copy is its key),
   *   fails (quarantined) or may not land because the case no longer takes uploads (rejected);
   *   the outcome and its audit event are one transaction; the file at the upload key is deleted.
   * - A document already settled: a file at its upload key is a second use of the link. It is
   *   refused, deleted, and recorded as a rejected upload of its own (with its audit event);
   *   the verified copy is untouched. (The same bytes again are only deleted.)
   */
  async verifyUpload(caseNo: string, documentId: string): Promise<DocumentRecord | null> {
    const doc = await this.deps.repo.getDocument(caseNo, documentId);
    if (!doc || doc.kind === 'generated') return doc; // unknown key: nothing to do
    if (doc.status !== 'pending') {
      await this.refuseReupload(doc);
      return this.deps.repo.getDocument(caseNo, documentId);
    }
    const upload = uploadKey(caseNo, documentId);
    const snapshot = verifiedKey(caseNo, documentId);
    const c = await this.deps.repo.getCase(caseNo);
    if (!c) return doc;
    const { now } = this.now();
    if (!mayLandUpload(c)) {
      // The case no longer takes uploads: the file is refused, not checked.
      const inspection = await this.deps.storage.inspect(upload);
      if (!inspection) return doc;
      const reason = `案件${statusLabel(c.status)}，不再接受上传`;
      const next: DocumentRecord = {
        ...doc,
        status: 'rejected',
        key: upload,
        size: inspection.size,
        sha256: inspection.sha256,
        rejectionReason: reason,
        checkedAt: now.toISOString(),
      };
      const saved = await this.deps.repo.recordDocumentCheck(next, 'pending', {
        at: now.toISOString(),
        actor: { system: 'verify-upload' },
        type: 'document.upload-rejected',
        data: { documentId, kind: doc.kind, size: inspection.size, sha256: inspection.sha256, reason },
      });
      await this.deps.storage.remove(upload);
      return saved ? next : this.deps.repo.getDocument(caseNo, documentId);
    }
    // The copy is taken from the upload key when there is a file there; after a crash between the
    // copy and the record, the copy made then is checked.
    if (!(await this.deps.storage.copy(upload, snapshot)) && !(await this.deps.storage.inspect(snapshot))) return doc;
    const inspection = await this.deps.storage.inspect(snapshot);
    if (!inspection) return doc;
    const reason =
      inspection.size !== doc.declaredSize
        ? `大小不符：声明${doc.declaredSize}字节，实际${inspection.size}字节`
        : inspection.size > this.deps.settings.maxUploadBytes
          ? '超过大小限制'
          : !matchesDeclaredType(doc.contentType, inspection.firstBytes.subarray(0, MAGIC_BYTES_NEEDED))
            ? `文件内容与声明类型${doc.contentType}不符`
            : undefined;
    let next: DocumentRecord;
    if (reason === undefined) {
      next = { ...doc, status: 'verified', key: snapshot, size: inspection.size, sha256: inspection.sha256, checkedAt: now.toISOString() };
    } else {
      const key = await this.deps.storage.quarantine(snapshot);
      next = { ...doc, status: 'quarantined', key, size: inspection.size, sha256: inspection.sha256, quarantineReason: reason, checkedAt: now.toISOString() };
    }
    const saved = await this.deps.repo.recordDocumentCheck(next, 'pending', {
      at: now.toISOString(),
      actor: { system: 'verify-upload' },
      type: reason === undefined ? 'document.verified' : 'document.quarantined',
      data: { documentId, kind: doc.kind, size: inspection.size, sha256: inspection.sha256, ...(reason ? { reason } : {}) },
    });
    if (!saved) return this.deps.repo.getDocument(caseNo, documentId);
    await this.deps.storage.remove(upload);
    return next;
  }

  /** A file at the upload key of a document already settled: refused, deleted, recorded. */
  private async refuseReupload(doc: DocumentRecord): Promise<void> {
    const upload = uploadKey(doc.caseNo, doc.documentId);
    // A record verified before verified copies existed still reads its upload key: it moves to its copy first.
    if (doc.status === 'verified' && doc.key === upload) return this.secureLegacyUpload(doc);
    const inspection = await this.deps.storage.inspect(upload);
    if (!inspection) return; // a repeated event for a file already handled
    if (doc.sha256 !== undefined && inspection.sha256 === doc.sha256 && inspection.size === doc.size) {
      // The same bytes (a repeated event before the upload key was cleared): nothing changes.
      await this.deps.storage.remove(upload);
      return;
    }
    const { now } = this.now();
    const reason = doc.status === 'verified' ? '上传链接被再次使用：该材料已校验，不得替换' : `上传链接被再次使用：该材料已${DOC_STATUS_LABELS[doc.status]}`;
    const rejected: DocumentRecord = {
      caseNo: doc.caseNo,
      documentId: this.newId(),
      kind: doc.kind,
      toPetitioner: false,
      fileName: doc.fileName,
      contentType: doc.contentType,
      declaredSize: doc.declaredSize,
      key: upload,
      status: 'rejected',
      size: inspection.size,
      sha256: inspection.sha256,
      rejectionReason: reason,
      uploadOf: doc.documentId,
      uploadedBy: doc.uploadedBy,
      createdAt: now.toISOString(),
      checkedAt: now.toISOString(),
    };
    await this.deps.repo.putDocument(rejected, {
      at: now.toISOString(),
      actor: { system: 'verify-upload' },
      type: 'document.upload-rejected',
      data: { documentId: rejected.documentId, uploadOf: doc.documentId, kind: doc.kind, size: inspection.size, sha256: inspection.sha256, reason },
    });
    await this.deps.storage.remove(upload);
  }

  /**
   * A document verified before verified copies existed: its record still names the upload key,
   * which its link (or anyone with a link policy) could overwrite. It is moved to its verified
   * copy, once: the file is copied to `verified/` and the copy's SHA-256 and size are checked
   * against those recorded when it was verified. The same bytes: the record names the copy
   * (`document.copy-secured`) and the upload key is cleared. Other bytes (the file was replaced
   * after its check, and the original is gone from the working key): the document is quarantined
   * with the reason, so it is never served as the one that was verified. Idempotent; run by the
   * daily reconciliation, which finds these files under `uploads/`.
   */
  private async secureLegacyUpload(doc: DocumentRecord): Promise<void> {
    const upload = uploadKey(doc.caseNo, doc.documentId);
    const copyKey = verifiedKey(doc.caseNo, doc.documentId);
    const same = (o: ObjectInspection | null): boolean => o !== null && o.sha256 === doc.sha256 && o.size === doc.size;
    // A copy left by an earlier attempt is used when it matches; otherwise it is made (again).
    let copy = await this.deps.storage.inspect(copyKey);
    if (!copy || !same(copy)) {
      if (!(await this.deps.storage.copy(upload, copyKey))) return; // no file: nothing to move (a download fails the same either way)
      copy = await this.deps.storage.inspect(copyKey);
      if (!copy) return;
    }
    const { now } = this.now();
    const at = now.toISOString();
    if (same(copy)) {
      const saved = await this.deps.repo.recordDocumentCheck({ ...doc, key: copyKey }, 'verified', {
        at,
        actor: { system: 'verify-upload' },
        type: 'document.copy-secured',
        data: { documentId: doc.documentId, kind: doc.kind, size: copy.size, sha256: copy.sha256 },
      });
      if (saved) await this.deps.storage.remove(upload);
      return;
    }
    const reason = `校验后文件被替换：SHA-256与校验记录不符（应为${doc.sha256 ?? '未记录'}），不再提供下载`;
    const key = await this.deps.storage.quarantine(copyKey);
    const saved = await this.deps.repo.recordDocumentCheck({ ...doc, status: 'quarantined', key, quarantineReason: reason, checkedAt: at }, 'verified', {
      at,
      actor: { system: 'verify-upload' },
      type: 'document.quarantined',
      data: { documentId: doc.documentId, kind: doc.kind, size: copy.size, sha256: copy.sha256, ...(doc.sha256 ? { verifiedSha256: doc.sha256 } : {}), reason },
    });
    if (saved) await this.deps.storage.remove(upload);
  }

  /**
   * The daily reconciliation of uploads (an S3 event can be lost): every document still pending
   * after its link expired (plus a grace period for late events) is checked now — verified,
   * quarantined or rejected if its file is there — or else marked expired with its audit event.
   * Reads only the pending uploads whose link has expired (an index Query per shard).
   */
  async reconcileUploads(options: { deadline?: number; limit?: number } = {}): Promise<UploadReconciliation> {
    const { now } = this.now();
    const before = new Date(now.getTime() - RECONCILE_GRACE_MS).toISOString();
    const report: UploadReconciliation = { checked: 0, verified: 0, quarantined: 0, rejected: 0, expired: 0, leftovers: 0, complete: true };
    const late = () => options.deadline !== undefined && Date.now() > options.deadline;
    // Files left at upload keys. Each check deletes its file, so the prefix holds only files in
    // flight (pending: settled below once their link expired) and these, few by design.
    let token: string | undefined;
    do {
      const page = await this.deps.storage.list(UPLOADS_PREFIX, token);
      for (const key of page.keys) {
        const target = parseUploadKey(key);
        if (!target) continue;
        if (late()) {
          report.complete = false;
          return report;
        }
        const doc = await this.deps.repo.getDocument(target.caseNo, target.documentId);
        if (!doc || doc.status === 'pending' || doc.kind === 'generated') continue;
        report.leftovers += 1;
        await this.verifyUpload(target.caseNo, target.documentId);
      }
      token = page.cursor;
    } while (token);
    let cursor: string | undefined;
    do {
      const page = await this.deps.repo.stalePendingUploads(before, options.limit ?? 100, cursor);
      for (const { caseNo, documentId } of page.items) {
        if (late()) {
          report.complete = false;
          return report;
        }
        report.checked += 1;
        const after = await this.verifyUpload(caseNo, documentId);
        if (after?.status === 'pending') {
          const settled = await this.expireUpload(after);
          if (settled.status === 'expired') report.expired += 1;
          else countStatus(report, settled.status);
        } else if (after) countStatus(report, after.status);
      }
      cursor = page.cursor;
    } while (cursor);
    return report;
  }

  private async expireUpload(doc: DocumentRecord): Promise<DocumentRecord> {
    const { now } = this.now();
    const reason = '上传链接已过期，未收到文件';
    const next: DocumentRecord = { ...doc, status: 'expired', rejectionReason: reason, checkedAt: now.toISOString() };
    const saved = await this.deps.repo.recordDocumentCheck(next, 'pending', {
      at: now.toISOString(),
      actor: { system: 'upload-reconciliation' },
      type: 'document.upload-expired',
      data: { documentId: doc.documentId, kind: doc.kind, reason },
    });
    return saved ? next : ((await this.deps.repo.getDocument(doc.caseNo, doc.documentId)) ?? doc);
  }

  /**
   * The query code of a case, for a letter that prints it: opened from the seal kept at
   * registration and checked against the stored hash.
   */
  private async recoverQueryCode(c: Case): Promise<string> {
    const sealed = await this.deps.repo.getSealedQueryCode(c.caseNo);
    const code = sealed === null ? null : openQueryCode(this.deps.piiKey, c.caseNo, sealed);
    if (code === null || !verifyQueryCode(this.deps.piiKey, c.caseNo, code, c.queryCodeHash)) {
      throw new RuleViolationError(
        'The query code of this case cannot be recovered for the letter that prints it (the case was registered before letters were issued)',
        { caseNo: c.caseNo },
      );
    }
    return code;
  }

  // ---- the public query ---------------------------------------------------------------------

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

/**
 * What a transition's audit event says about the letters it issued (the timeline lists them).
 * Not their content hash: the timeline is shown to departments, and the hash of a letter that
 * prints the query code, whose other content is predictable, would let one search for the code.
 */
function lettersData(letters: DocumentRecord[]): { letters?: { documentId: string; letterKind?: string; documentNo?: string }[] } {
  if (letters.length === 0) return {};
  return { letters: letters.map((d) => ({ documentId: d.documentId, letterKind: d.letterKind, documentNo: d.documentNo })) };
}

export function auditActor(actor: Actor): AuditActor {
  return { userId: actor.userId, username: actor.username, roles: actor.roles, ...(actor.deptCode ? { deptCode: actor.deptCode } : {}) };
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  input: unknown,
): T {
  const r = schema.safeParse(input);
  if (!r.success) throw ValidationError.fromZod(r.error);
  return r.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A short, jittered pause before numbering again (the contenders spread out). */
const numberBackoff = (attempt: number) => sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
