/**
 * The registry's use cases, one module each under shared/app/registry/: registration
 * (registration.ts), reading cases (reading.ts), lifecycle transitions with their letters
 * (transitions.ts), documents and the upload check (documents.ts) and the petitioner's public
 * query (public.ts), over a shared base (context.ts). Registry puts them together for the
 * functions. Each method: check who is asking, load through the ports, let the domain decide,
 * write through the ports. No AWS SDK here; adapters are injected.
 */
import type { Action } from '../domain/actions';
import type { Case, FullTextInput, RATINGS, Registration, UploadRequest } from '../domain/case';
import type { ActionBody } from './action-body';
import type { Actor } from '../domain/roles';
import { Documents } from './registry/documents';
import { PublicQuery } from './registry/public';
import { CaseReading } from './registry/reading';
import { Registrations } from './registry/registration';
import { Transitions } from './registry/transitions';
import type { RegistryDeps } from './registry/types';

export { RECONCILE_GRACE_MS } from './registry/documents';
export { ONLINE_ACTOR } from './registry/registration';
export type {
  ContactDetails,
  IssueContext,
  LetterIssuer,
  LetterPreview,
  LetterVerification,
  Registered,
  RegistryDeps,
  RegistryOcr,
  RenderedPreview,
  UploadLink,
  UploadReconciliation,
} from './registry/types';

/** The registry's use cases over one set of dependencies: what the case functions serve. */
export class Registry {
  readonly registrations: Registrations;
  readonly reading: CaseReading;
  readonly transitions: Transitions;
  readonly documents: Documents;
  readonly publicQueries: PublicQuery;

  constructor(deps: RegistryDeps) {
    this.registrations = new Registrations(deps);
    this.reading = new CaseReading(deps);
    this.transitions = new Transitions(deps);
    this.documents = new Documents(deps);
    this.publicQueries = new PublicQuery(deps);
  }

  // registration
  checkRegistration(actor: Actor, draft: Registration) {
    return this.registrations.checkRegistration(actor, draft);
  }
  register(actor: Actor, draft: Registration, idempotencyKey?: string) {
    return this.registrations.register(actor, draft, idempotencyKey);
  }
  registerOnline(draft: Registration, extra: { smsOptOut: boolean }) {
    return this.registrations.registerOnline(draft, extra);
  }
  casesOfPetitioner(keys: string[]) {
    return this.registrations.casesOfPetitioner(keys);
  }

  // reading
  getCase(actor: Actor, caseNo: string) {
    return this.reading.getCase(actor, caseNo);
  }
  timeline(actor: Actor, caseNo: string) {
    return this.reading.timeline(actor, caseNo);
  }
  list(actor: Actor, query: Parameters<CaseReading['list']>[1]) {
    return this.reading.list(actor, query);
  }
  inbox(actor: Actor, limit: number, cursor?: string) {
    return this.reading.inbox(actor, limit, cursor);
  }
  revealContact(actor: Actor, caseNo: string) {
    return this.reading.revealContact(actor, caseNo);
  }

  // transitions
  act<A extends Action>(actor: Actor, caseNo: string, action: A, body: ActionBody<A>, ifMatch: number | undefined) {
    return this.transitions.act(actor, caseNo, action, body, ifMatch);
  }
  dryRun(actor: Actor, caseNo: string, action: Action, input: unknown, ifMatch?: number) {
    return this.transitions.dryRun(actor, caseNo, action, input, ifMatch);
  }
  dryRunOn(actor: Actor, c: Case, action: Action, input: unknown) {
    return this.transitions.dryRunOn(actor, c, action, input);
  }
  previewLetters<A extends Action>(actor: Actor, caseNo: string, action: A, body: ActionBody<A>, ifMatch?: number) {
    return this.transitions.previewLetters(actor, caseNo, action, body, ifMatch);
  }

  // documents
  createUpload(actor: Actor, caseNo: string, request: UploadRequest) {
    return this.documents.createUpload(actor, caseNo, request);
  }
  download(actor: Actor, caseNo: string, documentId: string) {
    return this.documents.download(actor, caseNo, documentId);
  }
  setFullText(actor: Actor, caseNo: string, input: FullTextInput, ifMatch: number | undefined) {
    return this.transitions.setFullText(actor, caseNo, input, ifMatch);
  }
  ocrReading(actor: Actor, caseNo: string, documentId: string) {
    return this.documents.ocrReading(actor, caseNo, documentId);
  }
  verifyUpload(caseNo: string, documentId: string) {
    return this.documents.verifyUpload(caseNo, documentId);
  }
  reconcileUploads(options: { deadline?: number; limit?: number } = {}) {
    return this.documents.reconcileUploads(options);
  }

  // the public query
  publicQuery(caseNo: string, queryCode: string) {
    return this.publicQueries.publicQuery(caseNo, queryCode);
  }
  publicDownload(caseNo: string, queryCode: string, documentId: string) {
    return this.publicQueries.publicDownload(caseNo, queryCode, documentId);
  }
  verifyLetter(caseNo: string, printedHash: string) {
    return this.publicQueries.verifyLetter(caseNo, printedHash);
  }
  rate(caseNo: string, queryCode: string, value: (typeof RATINGS)[number], comment?: string) {
    return this.publicQueries.rate(caseNo, queryCode, value, comment);
  }
  urge(caseNo: string, queryCode: string) {
    return this.publicQueries.urge(caseNo, queryCode);
  }
}
