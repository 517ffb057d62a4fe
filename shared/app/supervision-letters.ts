/**
 * The supervision notice (督办单) the deadline sweep issues to a supervised department: checked,
 * numbered (the office's `supervision-notice` series: the number after the last issued, taken by
 * the sweep's transaction for the milestone with the document record), rendered with the office's
 * template override if any, and stored as a generated document of the case. The PDF is stored
 * first under a fresh document id, so a run that dies (or loses to another run) before its
 * transaction leaves at most an orphan PDF that no record points at, and no number is lost, as
 * for letters of a transition that loses a race (docs/letters.md). Domain and ports only.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Case } from '../domain/case';
import type { DocumentRecord } from '../domain/documents';
import { generatedKey } from '../storage/object-keys';
import type { SupervisionLevel } from '../domain/supervision';
import { buildLetterContent } from '../letters/content';
import { missingGlyphs, renderLetter } from '../letters/render';
import type { LetterTemplates } from '../letters/templates';
import { ValidationError } from '../domain/errors';
import { documentNumberSeries, TemplateOverrides, type LetterIssuerDeps } from './letters';
import { numberTurnsOf, type NumberTurns } from './number-turns';

/** The same dependencies as the case letters' issuer. */
export type SupervisionLetterDeps = LetterIssuerDeps;

export interface SupervisionLetterInput {
  c: Case;
  level: SupervisionLevel;
  departmentName: string;
  /** The issue date (the sweep's date). */
  issueDate: string;
  replyBy: string;
  /** The instant recorded as the document's creation. */
  at: string;
}

export class SupervisionLetterIssuer {
  private readonly newId: () => string;
  private readonly overrides: TemplateOverrides;

  constructor(private readonly deps: SupervisionLetterDeps) {
    this.newId = deps.newId ?? (() => randomUUID());
    this.overrides = new TemplateOverrides(deps);
  }

  /** This process's turns at the series of its repository (shared/app/number-turns.ts): the sweep's commit settles the 督办单's number in them. */
  get turns(): NumberTurns {
    return numberTurnsOf(this.deps.repo);
  }

  private templates(): Promise<LetterTemplates> {
    return this.overrides.get();
  }

  /**
   * The 督办单 of a case's department, or a ValidationError naming what is missing (the sweep
   * logs it and opens the supervision without the letter).
   */
  async issue(input: SupervisionLetterInput): Promise<DocumentRecord> {
    const { c } = input;
    const department = c.clocks.departmentDue;
    const data = {
      caseNo: c.caseNo,
      issueDate: input.issueDate,
      subject: c.subject,
      departmentName: input.departmentName,
      assignedDate: department?.startedOn ?? c.clocks.handling?.startedOn,
      departmentDue: department?.due ?? c.clocks.handling?.due,
      level: input.level,
      replyBy: input.replyBy,
    };
    const [templates, fonts] = await Promise.all([this.templates(), this.deps.fonts()]);
    const office = this.deps.office;
    // Checked completely (and every character printable) before a number is taken.
    const probe = buildLetterContent('supervision-notice', { ...data, seq: 1 }, office, templates);
    const missing = missingGlyphs(probe, fonts);
    if (missing.length > 0) throw new ValidationError(missing, 'The supervision notice cannot be printed');
    const pattern = office.documentNumberPatterns['supervision-notice'];
    const year = Number(input.issueDate.slice(0, 4));
    const series = pattern === null ? undefined : documentNumberSeries(pattern, office.shortName, year);
    // In this process's turn (shared/app/number-turns.ts): the sweep's commit settles the number; a failure here gives it up.
    const seq = series === undefined ? undefined : await this.turns.take(series, () => this.deps.repo.lastDocumentNumber(series));
    const taken = series !== undefined && seq !== undefined ? [{ series, seq }] : [];
    try {
      const content = buildLetterContent('supervision-notice', { ...data, ...(seq === undefined ? {} : { seq }) }, office, templates);
      const { bytes, pages, contentHash } = await renderLetter(content, fonts);
      const documentId = this.newId();
      const key = generatedKey(c.caseNo, documentId);
      await this.deps.storage.put(key, bytes, 'application/pdf');
      if (content.documentNo === null) this.turns.settle(taken, false);
      return {
        caseNo: c.caseNo,
        documentId,
        kind: 'generated',
        letterKind: 'supervision-notice',
        toPetitioner: false,
        fileName: `${c.caseNo}-${content.title}${input.level === 'flagged' ? '（挂牌督办）' : ''}.pdf`,
        contentType: 'application/pdf',
        declaredSize: bytes.byteLength,
        key,
        status: 'verified',
        size: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentHash,
        ...(content.documentNo !== null ? { documentNo: content.documentNo } : {}),
        ...(series !== undefined && seq !== undefined && content.documentNo !== null ? { numbering: { series, seq } } : {}),
        pages,
        uploadedBy: 'deadline-sweep',
        createdAt: input.at,
        checkedAt: input.at,
      };
    } catch (err) {
      this.turns.settle(taken, false);
      throw err;
    }
  }
}
