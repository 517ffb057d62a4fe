/**
 * The letters of a case (issue 3, item 7): which letter a transition issues and with what data,
 * under which document number, rendered and stored as a document of the case; the registry saves
 * the records in the same transaction as the transition. Also: the admin use cases for the
 * office's template overrides, and the sealed query code that the receipt and the acceptance
 * notice print. Domain and ports only (no AWS SDK); the letters themselves are shared/letters.
 *
 * Order of work for one transition (nothing is half done on a 400):
 *   1. the data of every letter of the transition is built from the case and checked
 *      (buildLetterContent with a probe number, and every character against the font);
 *   2. only then are document numbers taken and the letters rendered;
 *   3. only then are the PDFs stored, and their records returned to the registry.
 * A ValidationError in step 1 reaches the caller as a 400 before any number is taken or any byte
 * stored. The numbers are the ones after the last issued of each series (read, not taken): the
 * transaction that stores the records takes them (the records' `numbering`), so a number is
 * consumed only by a letter that was issued. If the transition then loses a race (409), or a
 * letter of the same series was issued meanwhile (the registry numbers again), the stored PDFs
 * are orphans under generated/ with no document record and their numbers stay free (see
 * docs/letters.md): nothing points at the orphans, and no number is lost.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Action } from '../domain/actions';
import type { Case } from '../domain/case';
import type { DocumentRecord } from '../domain/documents';
import { generatedKey } from '../storage/object-keys';
import { formLabelsOf, officeForm, type FormVocabulary } from '../domain/office-forms';
import { renderOfficeForms } from '../letters/forms';
import { ConflictError, DomainError, ForbiddenError, ValidationError, type FieldIssue } from '../domain/errors';
import type { TransitionResult } from '../domain/lifecycle';
import { hasRole, type Actor } from '../domain/roles';
import type { StatutoryRoute } from '../domain/taxonomy';
import { shanghaiDate, type Clock } from '../domain/time';
import { buildLetterContent, type LetterContent } from '../letters/content';
import type { LetterFonts } from '../letters/fonts';
import type { OfficeConfig } from '../domain/office-letters';
import { DEFAULT_TEMPLATES, REQUIRED_PLACEHOLDERS, allowedPlaceholders, validateTemplate, type LetterTemplates } from '../letters/templates';
import { LETTER_TITLES, LETTER_TYPES, PETITIONER_LETTERS, type LetterType } from '../domain/letter-types';
import type { CaseRepository, DocumentStorage, TemplateOverride, TemplateStore } from './ports';
import type { IssueContext, LetterIssuer, RenderedPreview } from './registry';
import { letterInput } from './action-body';
import { numberTurnsOf } from './number-turns';

// ---------------------------------------------------------------------------------------------
// The data of each letter, from the case

/** What a transition's letters are built from. */
export interface LetterSource {
  /** The case before the transition, and after it. */
  before: Case;
  next: Case;
  /** The action and its parsed body (ActionBody, shared/app/action-body.ts): letter content beyond the lifecycle input. */
  action: Action;
  input: object;
  /** The issue date (成文日期): the civil date of the transition. */
  issueDate: string;
  /** The petitioner's query code (only the letters that print it ask). */
  queryCode: () => Promise<string>;
  /** The case's documents (the number of an opinion a review contests). */
  documents: () => Promise<DocumentRecord[]>;
}

/** One letter ready to be numbered and rendered: its type, its data (without `seq`), its issuer. */
export interface PlannedLetter {
  type: LetterType;
  data: Record<string, unknown>;
  /** The issuing office (a review opinion is issued in the name of the review organ). */
  office: OfficeConfig;
  /** Letter data field → the request field to name in a 400. */
  fields?: Record<string, string>;
}

/** Whom the petitioner turns to when the director named no organ. */
const DEFAULT_ROUTE_ORGAN: Record<StatutoryRoute, string> = {
  litigation: '有管辖权的人民法院',
  arbitration: '有管辖权的仲裁机构',
  reconsideration: '有权受理的行政复议机关',
  other: '有权处理的机关',
};

/** The salutation: the first petitioner, `李明等5人` for a petition of several persons. */
export function salutation(c: Pick<Case, 'petitioners' | 'persons'>): string {
  const first = c.petitioners[0]?.name ?? '';
  return c.persons > 1 ? `${first}等${c.persons}人` : first;
}

function toPetitioner(c: Case, issueDate: string) {
  return { caseNo: c.caseNo, issueDate, subject: c.subject, petitionerName: salutation(c), receivedDate: c.receivedOn };
}

/** The receipt (受理凭证) given at registration with the case number and the query code. */
export function receiptLetter(c: Case, queryCode: string, issueDate: string, office: OfficeConfig): PlannedLetter | null {
  // A referral from above gets no receipt.
  const channel = c.channel.type;
  if (channel === 'referral') return null;
  return { type: 'receipt', data: { ...toPetitioner(c, issueDate), channel, queryCode }, office };
}

/** The office in whose name an opinion one level up is issued (the office is its working body). */
function issuedFor(office: OfficeConfig, organ: string): OfficeConfig {
  return { ...office, organName: organ, sealText: organ };
}

/** The number of the latest letter of a type the registry issued for the case. */
async function latestNumber(src: LetterSource, type: LetterType): Promise<string | undefined> {
  const docs = (await src.documents()).filter((d) => d.kind === 'generated' && d.letterKind === type && d.documentNo !== undefined);
  return docs.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1)?.documentNo;
}

/**
 * The letter a transition issues, with its data taken from the case after the transition (and,
 * for the content the lifecycle does not keep, from the request body). Null: nothing to issue
 * (a review opinion recorded without its content).
 */
export async function transitionLetter(type: LetterType, src: LetterSource, office: OfficeConfig): Promise<PlannedLetter | null> {
  const n = src.next;
  const base = toPetitioner(n, src.issueDate);
  switch (type) {
    case 'acceptance-notice':
      return {
        type,
        data: { ...base, acceptedDate: n.clocks.handling?.startedOn, handlingDue: n.clocks.handling?.due, queryCode: await src.queryCode() },
        office,
      };
    case 'non-acceptance-notice': {
      const route = n.decision?.route ?? 'other';
      const extra =
        src.action === 'approve-proposal' ? letterInput('approve-proposal', src.input) : { routeOrgan: undefined, ...letterInput('decline', src.input) };
      const name = extra.routeName;
      if (route === 'other' && name === undefined) {
        throw ValidationError.field(
          'routeName',
          'name the statutory procedure when the route is other (e.g. 行政裁决): the non-acceptance notice tells the petitioner which route to take',
        );
      }
      return {
        type,
        data: {
          ...base,
          reason: n.decision?.reason,
          route: { kind: route, organ: n.decision?.routeOrgan ?? extra.routeOrgan ?? DEFAULT_ROUTE_ORGAN[route], ...(route === 'other' ? { name } : {}) },
        },
        office,
        fields: { 'route.organ': 'routeOrgan', 'route.name': 'routeName' },
      };
    }
    case 'transfer-notice':
      return { type, data: { ...base, receivingOrgan: n.decision?.transferTo, transferDate: src.issueDate }, office, fields: { receivingOrgan: 'transferTo' } };
    case 'extension-notice': {
      const before = src.before.clocks.handling;
      return {
        type,
        data: { ...base, acceptedDate: before?.startedOn, originalDue: before?.due, newDue: n.extension?.newDue, reason: n.extension?.reason },
        office,
        fields: { newDue: 'days' },
      };
    }
    case 'handling-opinion': {
      const r = n.reply;
      return {
        type,
        data: {
          ...base,
          acceptedDate: n.clocks.handling?.startedOn,
          opinion: r ? { request: r.request, facts: r.facts, decision: r.decision, outcome: r.outcome, legalBasis: r.legalBasis } : undefined,
        },
        office,
      };
    }
    case 'review-opinion': {
      const extra = letterInput('review-opinion', src.input);
      const made = n.review?.opinion;
      if (!extra.opinion || !made) return null;
      const organ = n.review?.organ ?? office.reviewOrgan;
      return {
        type,
        data: {
          ...base,
          requestDate: n.review?.requestedOn,
          original: { organ: office.organName, documentNo: extra.originalDocumentNo ?? (await latestNumber(src, 'handling-opinion')) },
          opinion: { ...extra.opinion, outcome: made.outcome },
        },
        office: issuedFor(office, organ),
        fields: { 'opinion.outcome': 'outcome', 'original.documentNo': 'originalDocumentNo' },
      };
    }
    case 'rereview-opinion': {
      const extra = letterInput('rereview-opinion', src.input);
      const made = n.rereview?.opinion;
      if (!extra.opinion || !made) return null;
      return {
        type,
        data: {
          ...base,
          requestDate: n.rereview?.requestedOn,
          original: { organ: n.review?.organ ?? office.reviewOrgan, documentNo: extra.originalDocumentNo ?? (await latestNumber(src, 'review-opinion')) },
          opinion: { ...extra.opinion, outcome: made.outcome },
        },
        office: issuedFor(office, n.rereview?.organ ?? office.rereviewOrgan),
        fields: { 'opinion.outcome': 'outcome', 'original.documentNo': 'originalDocumentNo' },
      };
    }
    case 'receipt':
    case 'supervision-notice':
      // The receipt is issued at registration, the supervision notice by the deadline sweep.
      throw new Error(`${type} is not issued by a lifecycle transition`);
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers, rendering, storing

/** The series of a document-number pattern: organ code and year filled in, `{seq}` left. */
export function documentNumberSeries(pattern: string, short: string, year: number): string {
  return pattern.replace(/\{(short|year)\}/g, (_m, t: string) => (t === 'short' ? short : String(year)));
}

/**
 * The renderer (pdf-lib, fontkit: ~170 ms to evaluate), loaded with the first letter, so the
 * functions that never render one do not pay for it at every cold start.
 */
const renderer = () => import('../letters/render');

/** A probe number: checks a letter completely before a real number is taken. */
const PROBE_SEQ = 1;

/** Printed where the document number goes on a letter preview (no number is taken for it). */
export const PREVIEW_DOCUMENT_NO = '〔预览〕';

/**
 * The actions whose transition issues a letter: the ones the letter preview
 * (`POST /cases/{caseNo}/letters/preview`) accepts. A review or re-review opinion issues its
 * letter only when the body carries `opinion`.
 */
export const LETTER_ACTIONS = [
  'approve-proposal',
  'accept',
  'decline',
  'transfer',
  'extend',
  'approve-reply',
  'review-opinion',
  'rereview-opinion',
] as const satisfies readonly Action[];

export interface LetterIssuerDeps {
  repo: Pick<CaseRepository, 'lastDocumentNumber'>;
  templates: Pick<TemplateStore, 'listTemplateOverrides'>;
  storage: Pick<DocumentStorage, 'put'>;
  /** The office that issues the letters (OFFICE_CONFIG `letters`). */
  office: OfficeConfig;
  /** The registry's clock (also times the template cache unless `cacheClock` is given, so tests can move it). */
  clock: Clock;
  /** The clock that times the template cache (default `clock`). */
  cacheClock?: Clock;
  /** The letter fonts, loaded once per process (loadLetterFonts caches them). */
  fonts: () => Promise<LetterFonts>;
  /** How long the office's template overrides are kept before they are read again (default 60 s). */
  templateCacheMs?: number;
  newId?: () => string;
  /** The names of the office's codes (categories, departments, places), for the 来访登记表 of a visit. */
  vocabulary?: () => FormVocabulary;
}

export const DEFAULT_TEMPLATE_CACHE_MS = 60_000;

export { LETTERS_WITH_QUERY_CODE, mayOpenQueryCodeLetter, openQueryCode, printsQueryCode, sealQueryCode } from './query-code';

/** The registry's LetterIssuer: builds, numbers, renders and stores the letters of a case. */
/** The office's template overrides, read at most once per `templateCacheMs` by a warm process. */
export class TemplateOverrides {
  private cache: { at: number; templates: Promise<LetterTemplates> } | undefined;

  constructor(private readonly deps: Pick<LetterIssuerDeps, 'templates' | 'clock' | 'cacheClock' | 'templateCacheMs'>) {}

  get(): Promise<LetterTemplates> {
    const now = (this.deps.cacheClock ?? this.deps.clock).now().getTime();
    const ttl = this.deps.templateCacheMs ?? DEFAULT_TEMPLATE_CACHE_MS;
    const cached = this.cache;
    if (cached && now >= cached.at && now - cached.at < ttl) return cached.templates;
    const loading = this.deps.templates.listTemplateOverrides().then((list) => Object.fromEntries(list.map((o) => [o.type, o.text])) as LetterTemplates);
    const entry = { at: now, templates: loading };
    this.cache = entry;
    // A failed read is not kept: the next letter tries again.
    loading.catch(() => {
      if (this.cache === entry) this.cache = undefined;
    });
    return loading;
  }
}

export class CaseLetterIssuer implements LetterIssuer {
  private readonly newId: () => string;
  private readonly overrides: TemplateOverrides;

  constructor(private readonly deps: LetterIssuerDeps) {
    this.newId = deps.newId ?? (() => randomUUID());
    this.overrides = new TemplateOverrides(deps);
  }

  async issue(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<DocumentRecord[]> {
    if (result.letters.length === 0) return [];
    return this.produce(result.next.caseNo, await this.plan(c, result, context), actor, result.next.updatedAt);
  }

  /**
   * The letters of the transition as they would be issued now, with PREVIEW_DOCUMENT_NO where the
   * number goes: the same data, checks, template and font as `issue`, but no number is taken and
   * nothing is stored. The footer's 校验码 is the hash of this preview content, which no issued
   * letter has, so a printed preview never passes the public letter check.
   */
  async preview(c: Case, result: TransitionResult, _actor: Actor, context: IssueContext): Promise<RenderedPreview[]> {
    if (result.letters.length === 0) return [];
    const planned = await this.plan(c, result, context);
    if (planned.length === 0) return [];
    const [templates, fonts, { missingGlyphs, renderLetter }] = await Promise.all([this.templates(), this.deps.fonts(), renderer()]);
    const out: RenderedPreview[] = [];
    for (const letter of planned) {
      const probe = build(letter, PROBE_SEQ, templates);
      const missing = missingGlyphs(probe, fonts);
      if (missing.length > 0) throw refused(letter, missing);
      const content: LetterContent = { ...probe, documentNo: probe.documentNo === null ? null : PREVIEW_DOCUMENT_NO };
      const { bytes, pages } = await renderLetter(content, fonts);
      out.push({ letterKind: letter.type, title: content.title, documentNo: content.documentNo, pages, bytes });
    }
    return out;
  }

  /** Step 1 alone (the dry run of a transition): every letter complete and printable; nothing numbered, rendered or stored. */
  async check(c: Case, result: TransitionResult, _actor: Actor, context: IssueContext): Promise<void> {
    if (result.letters.length === 0) return;
    const planned = await this.plan(c, result, context);
    if (planned.length === 0) return;
    const [templates, fonts, { missingGlyphs }] = await Promise.all([this.templates(), this.deps.fonts(), renderer()]);
    for (const letter of planned) {
      const missing = missingGlyphs(build(letter, PROBE_SEQ, templates), fonts);
      if (missing.length > 0) throw refused(letter, missing);
    }
  }

  /** The letters of a transition with their data, from the case after it (step 1's input). */
  private async plan(c: Case, result: TransitionResult, context: IssueContext): Promise<PlannedLetter[]> {
    const src: LetterSource = {
      before: c,
      next: result.next,
      action: context.action,
      input: context.input,
      issueDate: shanghaiDate(new Date(result.next.updatedAt)),
      queryCode: context.queryCode,
      documents: context.documents,
    };
    const planned: PlannedLetter[] = [];
    for (const type of result.letters) {
      const letter = await transitionLetter(type, src, this.deps.office);
      if (letter) planned.push(letter);
    }
    return planned;
  }

  /** The receipt (受理凭证) of a new case, and for a visit its 来访登记表 (DESIGN §4 `visit-record`). */
  async issueReceipt(c: Case, queryCode: string, actor: Actor): Promise<DocumentRecord[]> {
    const receipt = receiptLetter(c, queryCode, shanghaiDate(new Date(c.createdAt)), this.deps.office);
    const [letters, visit] = await Promise.all([receipt ? this.produce(c.caseNo, [receipt], actor, c.createdAt) : [], this.visitRecord(c, actor)]);
    return visit ? [...letters, visit] : letters;
  }

  /** The 来访登记表 of a visit, set as the printed form is (GET /exports/forms), kept with the case. */
  private async visitRecord(c: Case, actor: Actor): Promise<DocumentRecord | undefined> {
    if (c.channel.type !== 'visit' || !this.deps.vocabulary) return undefined;
    const names = new Map([[actor.username, actor.displayName ?? actor.username]]);
    const form = officeForm('registration', c, formLabelsOf(this.deps.vocabulary(), this.deps.office.organName, names));
    const { bytes, pages } = await renderOfficeForms([form], await this.deps.fonts(), { date: shanghaiDate(new Date(c.createdAt)) });
    return this.storePdf(c.caseNo, bytes, { kind: 'visit-record', toPetitioner: false, fileName: `${c.caseNo}-${form.title}.pdf`, pages }, actor, c.createdAt);
  }

  /** A generated PDF stored under generated/ and recorded as a verified document of the case. */
  private async storePdf(
    caseNo: string,
    bytes: Uint8Array,
    what: Pick<DocumentRecord, 'kind' | 'toPetitioner' | 'fileName' | 'pages'> &
      Partial<Pick<DocumentRecord, 'letterKind' | 'contentHash' | 'documentNo' | 'numbering'>>,
    actor: Actor,
    at: string,
  ): Promise<DocumentRecord> {
    const documentId = this.newId();
    const key = generatedKey(caseNo, documentId);
    await this.deps.storage.put(key, bytes, 'application/pdf');
    return {
      caseNo,
      documentId,
      ...what,
      contentType: 'application/pdf',
      declaredSize: bytes.byteLength,
      key,
      status: 'verified',
      size: bytes.byteLength,
      sha256: sha256Hex(bytes),
      uploadedBy: actor.username,
      createdAt: at,
      checkedAt: at,
    };
  }

  private templates(): Promise<LetterTemplates> {
    return this.overrides.get();
  }

  private async produce(caseNo: string, planned: PlannedLetter[], actor: Actor, at: string): Promise<DocumentRecord[]> {
    if (planned.length === 0) return [];
    const [templates, fonts, { missingGlyphs, renderLetter }] = await Promise.all([this.templates(), this.deps.fonts(), renderer()]);

    // 1. Every letter complete and printable, before a number is taken or a byte stored.
    for (const letter of planned) {
      const probe = build(letter, PROBE_SEQ, templates);
      const missing = missingGlyphs(probe, fonts);
      if (missing.length > 0) throw refused(letter, missing);
    }

    // 2. Numbers (the next of each series; the transition's transaction takes them), final content, PDF.
    const rendered: {
      letter: PlannedLetter;
      content: LetterContent;
      numbering?: DocumentRecord['numbering'];
      bytes: Uint8Array;
      pages: number;
      contentHash: string;
    }[] = [];
    // The numbers come in this process's turns (shared/app/number-turns.ts): the transaction that
    // stores the records settles them; if this fails first, they are given up here.
    const turns = numberTurnsOf(this.deps.repo);
    const taken: { series: string; seq: number }[] = [];
    try {
      for (const letter of planned) {
        const pattern = letter.office.documentNumberPatterns[letter.type];
        const year = Number(String(letter.data.issueDate).slice(0, 4));
        const series = pattern === null ? undefined : documentNumberSeries(pattern, letter.office.shortName, year);
        let numbering: DocumentRecord['numbering'];
        if (series !== undefined) {
          numbering = { series, seq: await turns.take(series, () => this.deps.repo.lastDocumentNumber(series)) };
          taken.push(numbering);
        }
        const content = build(letter, numbering?.seq, templates);
        const pdf = await renderLetter(content, fonts);
        rendered.push({ letter, content, numbering, ...pdf });
      }
      // 3. Stored under keys the registry chooses; the records go into the transition.
      const records = await this.storeRendered(caseNo, rendered, actor, at);
      // A number no record carries (a letter printed without one) is not taken by the transition.
      turns.settle(
        taken.filter((t) => !records.some((r) => r.numbering?.series === t.series && r.numbering.seq === t.seq)),
        false,
      );
      return records;
    } catch (err) {
      turns.settle(taken, false);
      throw err;
    }
  }

  private storeRendered(
    caseNo: string,
    rendered: {
      letter: PlannedLetter;
      content: LetterContent;
      numbering?: DocumentRecord['numbering'];
      bytes: Uint8Array;
      pages: number;
      contentHash: string;
    }[],
    actor: Actor,
    at: string,
  ): Promise<DocumentRecord[]> {
    return Promise.all(
      rendered.map(({ letter, content, numbering, bytes, pages, contentHash }) =>
        this.storePdf(
          caseNo,
          bytes,
          {
            kind: 'generated',
            letterKind: letter.type,
            toPetitioner: PETITIONER_LETTERS.has(letter.type),
            fileName: `${caseNo}-${content.title}.pdf`,
            contentHash,
            ...(content.documentNo !== null ? { documentNo: content.documentNo } : {}),
            ...(numbering && content.documentNo !== null ? { numbering } : {}),
            pages,
          },
          actor,
          at,
        ),
      ),
    );
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** buildLetterContent, with a 400 that names the request's fields and the letter refused. */
function build(letter: PlannedLetter, seq: number | undefined, templates: LetterTemplates): LetterContent {
  try {
    return buildLetterContent(letter.type, { ...letter.data, ...(seq === undefined ? {} : { seq }) }, letter.office, templates);
  } catch (err) {
    if (err instanceof ValidationError) throw refused(letter, err.issues);
    throw err;
  }
}

function refused(letter: PlannedLetter, issues: FieldIssue[]): ValidationError {
  const named = issues.map((i) => ({ field: letter.fields?.[i.field] ?? i.field, reason: i.reason }));
  return new ValidationError(
    named,
    `The ${LETTER_TITLES[letter.type]} (${letter.type}) cannot be issued: ${named.map((i) => `${i.field}: ${i.reason}`).join('; ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The query code the receipt and the acceptance notice print

// ---------------------------------------------------------------------------------------------
// Templates per office (admin)

export interface TemplateView {
  type: LetterType;
  title: string;
  /** The wording letters use now: the override, else the default. */
  text: string;
  defaultText: string;
  override: Omit<TemplateOverride, 'type'> | null;
  /** The version letters use now: 0 for the default wording, else the override's (the template's ETag, If-Match of a change). */
  version: number;
  /** Placeholders the template may use, and those it must keep. */
  placeholders: string[];
  required: string[];
}

function templateView(type: LetterType, override: TemplateOverride | undefined): TemplateView {
  return {
    type,
    title: LETTER_TITLES[type],
    text: override?.text ?? DEFAULT_TEMPLATES[type],
    defaultText: DEFAULT_TEMPLATES[type],
    override: override ? { text: override.text, updatedBy: override.updatedBy, updatedAt: override.updatedAt, version: override.version } : null,
    version: override?.version ?? 0,
    placeholders: [...allowedPlaceholders(type)],
    required: [...REQUIRED_PLACEHOLDERS[type]],
  };
}

export interface TemplatesAdminDeps {
  store: TemplateStore;
  clock: Clock;
  office: OfficeConfig;
  /** The letter fonts: an override must be printable (every character has a glyph). */
  fonts: () => Promise<LetterFonts>;
}

/**
 * The admin's letter templates: the defaults and the office's overrides. A stored override is
 * used by letters issued from then on (after the issuers' cache expires, 60 s by default);
 * letters already issued keep their content and hash.
 */
export class LetterTemplatesAdmin {
  constructor(private readonly deps: TemplatesAdminDeps) {}

  async list(actor: Actor): Promise<{ office: OfficeConfig; templates: TemplateView[] }> {
    requireAdmin(actor);
    const overrides = new Map((await this.deps.store.listTemplateOverrides()).map((o) => [o.type, o]));
    return { office: this.deps.office, templates: LETTER_TYPES.map((t) => templateView(t, overrides.get(t))) };
  }

  /**
   * Stores a new wording over the version read (`ifMatch`: 428 without it, 409 when someone
   * changed the template meanwhile); an unknown placeholder, a required one left out or a
   * character the letter font cannot draw is a 400 on `text` and nothing is stored.
   */
  async put(actor: Actor, type: LetterType, text: string, ifMatch?: number): Promise<{ before: TemplateView; after: TemplateView }> {
    requireAdmin(actor);
    const normalised = validateTemplate(type, text, 'text');
    await this.checkPrintable(type, normalised);
    const before = await this.current(type, ifMatch);
    const override: TemplateOverride = {
      type,
      text: normalised,
      updatedBy: actor.username,
      updatedAt: this.deps.clock.now().toISOString(),
      version: before.version + 1,
    };
    await this.deps.store.putTemplateOverride(override);
    return { before, after: templateView(type, override) };
  }

  /** Back to the default wording, from the version read (`ifMatch`); a template already at its default is left as it is. */
  async remove(actor: Actor, type: LetterType, ifMatch?: number): Promise<{ before: TemplateView; after: TemplateView }> {
    requireAdmin(actor);
    const before = await this.current(type, ifMatch);
    if (before.override) await this.deps.store.deleteTemplateOverride(type, before.version);
    return { before, after: templateView(type, undefined) };
  }

  /**
   * The letter as an edited wording would print it, on the sample case of its type (the demo data
   * of shared/letters/demo.ts) and the office as it is now, with 〔预览〕 for the document number:
   * the same checks as `put` (400 on `text`), nothing stored.
   */
  async preview(actor: Actor, type: LetterType, text: string): Promise<{ type: LetterType; title: string; pages: number; size: number; pdfBase64: string }> {
    requireAdmin(actor);
    const normalised = validateTemplate(type, text, 'text');
    await this.checkPrintable(type, normalised);
    const [{ DEMO_LETTER_DATA }, fonts, { renderLetter }] = await Promise.all([import('../letters/demo'), this.deps.fonts(), renderer()]);
    const built = buildLetterContent(type, DEMO_LETTER_DATA[type], this.deps.office, { [type]: normalised });
    const content: LetterContent = { ...built, documentNo: built.documentNo === null ? null : PREVIEW_DOCUMENT_NO };
    const { bytes, pages } = await renderLetter(content, fonts);
    return { type, title: content.title, pages, size: bytes.length, pdfBase64: Buffer.from(bytes).toString('base64') };
  }

  private async current(type: LetterType, ifMatch: number | undefined): Promise<TemplateView> {
    if (ifMatch === undefined) throw new DomainError('PRECONDITION_REQUIRED', 'Send the version of the template you read as If-Match');
    const stored = (await this.deps.store.listTemplateOverrides()).find((o) => o.type === type);
    const view = templateView(type, stored);
    if (view.version !== ifMatch)
      throw new ConflictError('The template was changed by someone else; reload and try again', { type, expected: ifMatch, current: view.version });
    return view;
  }

  /** Every character of the template's own wording has a glyph in the letter font. */
  private async checkPrintable(type: LetterType, text: string): Promise<void> {
    const lines = text
      .replace(/\{\{[^{}]*\}\}/g, '')
      .split('\n')
      .filter((l) => l.trim() !== '');
    if (lines.length === 0) return;
    const probe: LetterContent = {
      v: 1,
      type,
      organ: this.deps.office.organName,
      documentNo: null,
      title: LETTER_TITLES[type],
      recipient: '信访人',
      paragraphs: lines,
      issueDate: '2026-01-01',
      dateText: '二〇二六年一月一日',
      seal: this.deps.office.sealText,
      caseNo: 'XF-2026-000001',
      queryCode: null,
    };
    const [fonts, { missingGlyphs }] = await Promise.all([this.deps.fonts(), renderer()]);
    const missing = missingGlyphs(probe, fonts).filter((i) => i.field.startsWith('content.paragraphs'));
    if (missing.length > 0)
      throw new ValidationError(
        missing.map((i) => ({ field: 'text', reason: i.reason })),
        `text: ${missing.map((i) => i.reason).join('; ')}`,
      );
  }
}

function requireAdmin(actor: Actor): void {
  if (!hasRole(actor, 'admin')) throw new ForbiddenError('Only admin may change letter templates', { roles: ['admin'] });
}
