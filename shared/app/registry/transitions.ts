/** Transitions: a lifecycle action (If-Match) with the letters it issues, its dry run and the letter preview; the full text set at registration. */
import type { Action } from '../../domain/actions';
import type { Case, FullTextInput } from '../../domain/case';
import { ConflictError, DomainError, NotFoundError, NumberTakenError, RuleViolationError } from '../../domain/errors';
import { applyAction, checkAction } from '../../domain/lifecycle';
import { lifecycleInput, parseActionBody, type ActionBody } from '../action-body';
import { requireRole, type Actor } from '../../domain/roles';
import { auditActor } from '../actor';
import { refreshCalendar } from '../calendar';
import { toCaseView, type CaseView } from '../views';
import { lettersData, NUMBER_ATTEMPTS, numberBackoff, RegistryUseCase } from './context';
import type { LetterPreview } from './types';
import { petitionerSmsEvent } from '../../domain/online';
import { petitionerSms } from './petitioner-sms';
import { documentNumbers } from '../number-turns';

export class Transitions extends RegistryUseCase {
  /** `body`: the action's parsed body (the route's schema, `actionBody`). */
  /**
   * The full text of the letter (来信全文), set by the clerk while the case is still being
   * registered (status `registered`), e.g. taken from the machine reading of its scans: a
   * versioned write (If-Match) with its audit event `case.full-text-set`, which the search indexes
   * like any change of the texts. After registration the letter's text is fixed (409).
   */
  async setFullText(actor: Actor, caseNo: string, input: FullTextInput, ifMatch: number | undefined): Promise<CaseView> {
    if (ifMatch === undefined) throw new DomainError('PRECONDITION_REQUIRED', 'Send the version you read as If-Match');
    requireRole(actor, 'clerk');
    const c = await this.visibleCase(actor, caseNo);
    if (c.version !== ifMatch) throw new ConflictError('The case was changed by someone else; reload and try again', { expected: ifMatch, current: c.version });
    if (c.status !== 'registered')
      throw new RuleViolationError('The full text is set while the case is being registered', { status: c.status, reason: '案件已进入办理，来信全文不再修改' });
    const { now } = this.now();
    const next: Case = { ...c, fullText: input.fullText, version: c.version + 1, updatedAt: now.toISOString() };
    const saved =
      c.fullText === input.fullText
        ? c
        : await this.deps.repo.saveTransition(c, next, {
            at: now.toISOString(),
            actor: auditActor(actor),
            type: 'case.full-text-set',
            data: { source: input.source, length: input.fullText.length },
          });
    return toCaseView(saved, actor, { documents: await this.deps.repo.listDocuments(c.caseNo), events: [], ...this.offered(saved, actor) });
  }

  async act<A extends Action>(actor: Actor, caseNo: string, action: A, body: ActionBody<A>, ifMatch: number | undefined): Promise<CaseView> {
    if (ifMatch === undefined) throw new DomainError('PRECONDITION_REQUIRED', 'Send the version you read as If-Match');
    const c = await this.visibleCase(actor, caseNo);
    if (c.version !== ifMatch) throw new ConflictError('The case was changed by someone else; reload and try again', { expected: ifMatch, current: c.version });
    await refreshCalendar(this.deps.clocks.calendar);
    const { now, today } = this.now();
    const result = applyAction(c, action, lifecycleInput(action, body), { actor, now, today, clocks: this.deps.clocks, ...this.office() });
    // Letters are checked, numbered, rendered and stored first (a 400 stores nothing); their
    // records are saved with the transition, which takes their numbers, and its audit event names
    // them. A letter of the same series issued meanwhile took the number: number again and retry.
    for (let attempt = 1; ; attempt++) {
      const documents =
        this.deps.letters && result.letters.length > 0
          ? await this.deps.letters.issue(c, result, actor, {
              action,
              input: body,
              queryCode: () => this.recoverQueryCode(c),
              documents: () => this.deps.repo.listDocuments(c.caseNo),
            })
          : [];
      const event = { at: now.toISOString(), actor: auditActor(actor), type: result.event.type, data: { ...result.event.data, ...lettersData(documents) } };
      // The petitioner's SMS of this step (docs/online.md), written with it.
      const sms = petitionerSms(this.deps.settings, c, result.next, petitionerSmsEvent(c, result.next, result.event.type), now);
      // The letters' numbers: sent in this process's turn, settled when the transaction is (shared/app/number-turns.ts).
      const numbers = documentNumbers(documents);
      let saved: Case;
      try {
        await this.turns.turn(numbers);
        saved = await this.deps.repo.saveTransition(c, result.next, event, { documents, notices: sms ? [sms] : [] });
      } catch (err) {
        this.turns.settle(numbers, false);
        if (!(err instanceof NumberTakenError) || attempt >= NUMBER_ATTEMPTS) throw err;
        await numberBackoff(attempt);
        continue;
      }
      this.turns.settle(numbers, true);
      return toCaseView(saved, actor, { documents: await this.deps.repo.listDocuments(c.caseNo), events: [], ...this.offered(saved, actor) });
    }
  }

  /**
   * A dry run of an action: every check `act` makes — who, from which status, what holds it
   * back, the body, the version, the content and font of the letters it would issue — on the
   * current case, without numbering, rendering, storing or recording anything. Resolves with the
   * case as it would be; rejects with the error `act` would answer. `input` is a request body as
   * a client would send it: the dry run is where it enters, so it is parsed here, once, with the
   * route's schema (after the checks that come before the body, as in `act`).
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
    checkAction(c, action, { actor, today });
    const body = parseActionBody(action, input);
    const result = applyAction(c, action, lifecycleInput(action, body), { actor, now, today, clocks: this.deps.clocks, ...this.office() });
    if (this.deps.letters && result.letters.length > 0) {
      await this.deps.letters.check(c, result, actor, {
        action,
        input: body,
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
   * or recorded. If-Match is optional here: with it, a preview of a stale case is a 409. `body`:
   * the action's parsed body (the preview route parses `input` with the action's own schema).
   */
  async previewLetters<A extends Action>(actor: Actor, caseNo: string, action: A, body: ActionBody<A>, ifMatch?: number): Promise<LetterPreview> {
    const c = await this.visibleCase(actor, caseNo);
    if (ifMatch !== undefined && c.version !== ifMatch)
      throw new ConflictError('The case was changed by someone else; reload and try again', { expected: ifMatch, current: c.version });
    await refreshCalendar(this.deps.clocks.calendar);
    const { now, today } = this.now();
    const result = applyAction(c, action, lifecycleInput(action, body), { actor, now, today, clocks: this.deps.clocks, ...this.office() });
    const rendered =
      this.deps.letters && result.letters.length > 0
        ? await this.deps.letters.preview(c, result, actor, {
            action,
            input: body,
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
}
