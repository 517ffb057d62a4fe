/**
 * The letter issuer over in-memory ports: which letter each transition issues and with what data
 * from the case, the document numbers, the stored PDF and its record, refusals that store nothing,
 * the office's template overrides (and their cache), the sealed query code, and the admin's
 * template use cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CaseLetterIssuer,
  LetterTemplatesAdmin,
  documentNumberSeries,
  openQueryCode,
  printsQueryCode,
  receiptLetter,
  salutation,
  sealQueryCode,
  transitionLetter,
  type LetterSource,
} from '../../../shared/app/letters';
import type { IssueContext } from '../../../shared/app/registry';
import type { TemplateOverride, TemplateStore } from '../../../shared/app/ports';
import type { Case } from '../../../shared/domain/case';
import type { DocumentRecord } from '../../../shared/domain/documents';
import { generatedKey } from '../../../shared/storage/object-keys';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/domain/errors';
import type { Action } from '../../../shared/domain/actions';
import type { LetterType } from '../../../shared/domain/letter-types';
import { applyAction, type TransitionResult } from '../../../shared/domain/lifecycle';
import type { Actor } from '../../../shared/domain/roles';
import { FakeClock } from '../../../shared/domain/time';
import { DEMO_OFFICE_CONFIG, loadLetterFonts, matchesShortHash, shortLetterHash, type LetterFonts } from '../../../shared/letters';
import { applyRaw, clerk, ctx, director, hrss, opinion, registered } from '../lifecycle/fixtures';
import { LETTER_INPUTS, lifecycleInput, parseActionBody } from '../../../shared/app/action-body';
import { extractPageTexts, normalise } from '../letters/pdf';
import { createHash } from 'node:crypto';

const QUERY_CODE = 'K7M2Q9PA';
const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '系统管理员', roles: ['admin'] };

let fonts: LetterFonts;
beforeAll(async () => {
  fonts = await loadLetterFonts();
}, 60_000);

// ---- in-memory ports ------------------------------------------------------------------------

class MemoryTemplates implements TemplateStore {
  readonly items = new Map<LetterType, TemplateOverride>();
  reads = 0;
  async listTemplateOverrides(): Promise<TemplateOverride[]> {
    this.reads += 1;
    return [...this.items.values()];
  }
  async putTemplateOverride(o: TemplateOverride): Promise<void> {
    this.items.set(o.type, o);
  }
  async deleteTemplateOverride(type: LetterType): Promise<boolean> {
    return this.items.delete(type);
  }
}

function harness(options: { templateCacheMs?: number } = {}) {
  const counters = new Map<string, number>();
  const objects = new Map<string, Uint8Array>();
  const templates = new MemoryTemplates();
  const clock = new FakeClock('2026-03-04T03:00:00Z');
  let id = 0;
  const issuer = new CaseLetterIssuer({
    repo: {
      lastDocumentNumber: async (series: string) => counters.get(series) ?? 0,
    },
    templates,
    storage: {
      put: async (key, bytes) => {
        objects.set(key, bytes);
      },
    },
    office: DEMO_OFFICE_CONFIG,
    clock,
    fonts: async () => fonts,
    newId: () => `doc-${++id}`,
    ...options,
  });
  // The transaction that stores a letter's record takes its number (the repository does it).
  const taken = (docs: DocumentRecord[]) => {
    for (const d of docs) if (d.numbering) counters.set(d.numbering.series, d.numbering.seq);
    return docs;
  };
  const issue = issuer.issue.bind(issuer);
  const issueReceipt = issuer.issueReceipt.bind(issuer);
  issuer.issue = async (...args) => taken(await issue(...args));
  issuer.issueReceipt = async (...args) => taken(await issueReceipt(...args));
  return { issuer, counters, objects, templates, clock };
}

/** One lifecycle step: the case after it and the transition result. */
function step(
  c: Case,
  action: Action,
  actor: Actor,
  today: string,
  input: unknown = {},
): { c: Case; result: TransitionResult; before: Case; input: object; action: Action } {
  // The body as the action's route parses it: the lifecycle's part, and the letter's.
  const body = parseActionBody(action, input);
  const result = applyAction(c, action, lifecycleInput(action, body), ctx(actor, today));
  return { c: result.next, result, before: c, input: body, action };
}

function context(s: { action: Action; input: object }, documents: DocumentRecord[] = []): IssueContext {
  return { action: s.action, input: s.input, queryCode: async () => QUERY_CODE, documents: async () => documents };
}

function source(s: ReturnType<typeof step>, documents: DocumentRecord[] = []): LetterSource {
  return {
    before: s.before,
    next: s.c,
    action: s.action,
    input: s.input,
    issueDate: s.c.updatedAt.slice(0, 10),
    queryCode: async () => QUERY_CODE,
    documents: async () => documents,
  };
}

const text = async (bytes: Uint8Array) => normalise((await extractPageTexts(bytes)).join(''));

async function rejected(p: Promise<unknown>): Promise<ValidationError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ValidationError);
  return e as ValidationError;
}

// A case through the lifecycle, with each transition that issues a letter.
const start = registered();
const accepted = step(start, 'accept', director, '2026-03-04');
const assigned = step(accepted.c, 'assign', director, '2026-03-04', { deptCode: 'HRSS' });
const extended = step(assigned.c, 'extend', director, '2026-04-20', { days: 20, reason: '需要调取该公司近两年的工资发放台账并进行核对' });
const answered = step(extended.c, 'answer', hrss, '2026-04-24', opinion);
const approved = step(answered.c, 'approve-reply', director, '2026-04-27');
const delivered = step(approved.c, 'deliver', clerk, '2026-04-28', { deliveredOn: '2026-04-28' });
const reviewRequested = step(delivered.c, 'request-review', clerk, '2026-05-10', { requestedOn: '2026-05-10' });
const REVIEW = {
  request: '请求责令该公司支付全部拖欠工资及经济补偿金。',
  facts: '经复查，该公司已按处理意见支付拖欠工资3.2万元，信访人主张的经济补偿金不属于本事项处理范围。',
  decision: '维持原处理意见。',
  legalBasis: '《保障农民工工资支付条例》第三条',
};
const reviewed = step(reviewRequested.c, 'review-opinion', director, '2026-06-01', {
  outcome: 'reject',
  summary: '维持原处理意见',
  deliveredOn: '2026-06-01',
  opinion: REVIEW,
});
const rereviewRequested = step(reviewed.c, 'request-rereview', clerk, '2026-06-10', { requestedOn: '2026-06-10' });
const rereviewed = step(rereviewRequested.c, 'rereview-opinion', director, '2026-07-01', {
  outcome: 'reject',
  summary: '维持复查意见',
  deliveredOn: '2026-07-01',
  opinion: { ...REVIEW, decision: '维持复查意见。' },
});

describe('the letter data of each transition', () => {
  it('takes the acceptance notice from the handling clock and prints the query code', async () => {
    expect(accepted.result.letters).toEqual(['acceptance-notice']);
    const letter = await transitionLetter('acceptance-notice', source(accepted), DEMO_OFFICE_CONFIG);
    expect(letter?.data).toEqual({
      caseNo: 'XF-2026-000001',
      issueDate: '2026-03-04',
      subject: '请求协调解决拖欠工资问题',
      petitionerName: '张建华',
      receivedDate: '2026-03-02',
      acceptedDate: '2026-03-04',
      handlingDue: accepted.c.clocks.handling?.due,
      queryCode: QUERY_CODE,
    });
    expect(letter?.office).toBe(DEMO_OFFICE_CONFIG);
  });

  it('names the statutory route of a non-acceptance, and a default organ when the director named none', async () => {
    const named = step(start, 'decline', director, '2026-03-05', {
      route: 'reconsideration',
      routeOrgan: '江川市人民政府',
      reason: '该事项属于对行政行为不服，依法应当申请行政复议',
    });
    expect(named.result.letters).toEqual(['non-acceptance-notice']);
    expect((await transitionLetter('non-acceptance-notice', source(named), DEMO_OFFICE_CONFIG))?.data).toMatchObject({
      reason: '该事项属于对行政行为不服，依法应当申请行政复议',
      route: { kind: 'reconsideration', organ: '江川市人民政府' },
    });
    const unnamed = step(start, 'decline', director, '2026-03-05', { route: 'litigation', reason: '该事项已由人民法院立案受理' });
    expect((await transitionLetter('non-acceptance-notice', source(unnamed), DEMO_OFFICE_CONFIG))?.data.route).toEqual({
      kind: 'litigation',
      organ: '有管辖权的人民法院',
    });
    const other = step(start, 'decline', director, '2026-03-05', {
      route: 'other',
      routeOrgan: '江川市自然资源和规划局',
      reason: '该事项属于土地权属争议',
      routeName: '行政裁决',
    });
    expect((await transitionLetter('non-acceptance-notice', source(other), DEMO_OFFICE_CONFIG))?.data.route).toEqual({
      kind: 'other',
      organ: '江川市自然资源和规划局',
      name: '行政裁决',
    });
  });

  it('refuses a non-acceptance by an "other" route without its name, naming routeName', async () => {
    const s = step(start, 'decline', director, '2026-03-05', { route: 'other', reason: '该事项属于土地权属争议' });
    const e = await rejected(transitionLetter('non-acceptance-notice', source(s), DEMO_OFFICE_CONFIG));
    expect(e.issues.map((i) => i.field)).toEqual(['routeName']);
  });

  it('takes the route of an approved decline proposal from the proposal, and its organ from the approval', async () => {
    const proposed = step(start, 'propose', clerk, '2026-03-03', { action: 'decline', route: 'arbitration', reason: '该争议属于劳动争议' });
    const s = step(proposed.c, 'approve-proposal', director, '2026-03-05', { routeOrgan: '江川市劳动人事争议仲裁委员会' });
    expect(s.result.letters).toEqual(['non-acceptance-notice']);
    expect((await transitionLetter('non-acceptance-notice', source(s), DEMO_OFFICE_CONFIG))?.data.route).toEqual({
      kind: 'arbitration',
      organ: '江川市劳动人事争议仲裁委员会',
    });
  });

  it('names the receiving organ of a transfer', async () => {
    const s = step(start, 'transfer', director, '2026-03-05', { transferTo: '江川县人民政府', reason: '属县级人民政府职责' });
    expect(s.result.letters).toEqual(['transfer-notice']);
    expect((await transitionLetter('transfer-notice', source(s), DEMO_OFFICE_CONFIG))?.data).toMatchObject({
      receivingOrgan: '江川县人民政府',
      transferDate: '2026-03-05',
    });
  });

  it('states the original and the new due date of an extension, with the reason', async () => {
    expect(extended.result.letters).toEqual(['extension-notice']);
    const letter = await transitionLetter('extension-notice', source(extended), DEMO_OFFICE_CONFIG);
    expect(letter?.data).toMatchObject({
      acceptedDate: '2026-03-04',
      originalDue: assigned.c.clocks.handling?.due,
      newDue: extended.c.extension?.newDue,
      reason: '需要调取该公司近两年的工资发放台账并进行核对',
    });
    expect(extended.c.extension?.newDue).not.toBe(assigned.c.clocks.handling?.due);
  });

  it('states a 30-day extension whose last day moved off the National Day holiday', async () => {
    const july = step(registered({ receivedOn: '2026-07-01' }), 'accept', director, '2026-07-04');
    const s = step(july.c, 'extend', director, '2026-08-20', { days: 30, reason: '需要进一步调查核实有关情况' });
    // 2026-09-02 + 30 days = 10-02, inside National Day (10-01…10-07) → the next working day, 10-08.
    expect([july.c.clocks.handling?.due, s.c.extension?.newDue]).toEqual(['2026-09-02', '2026-10-08']);
    const letter = await transitionLetter('extension-notice', source(s), DEMO_OFFICE_CONFIG);
    expect(letter?.data).toMatchObject({ originalDue: '2026-09-02', newDue: '2026-10-08' });
  });

  it('takes the handling opinion from the answer as approved', async () => {
    expect(approved.result.letters).toEqual(['handling-opinion']);
    const letter = await transitionLetter('handling-opinion', source(approved), DEMO_OFFICE_CONFIG);
    expect(letter?.data).toMatchObject({ acceptedDate: '2026-03-04', issueDate: '2026-04-27', opinion });
    const edited = step(answered.c, 'approve-reply', director, '2026-04-27', { edits: { decision: '责令该公司于十日内足额支付。' } });
    expect((await transitionLetter('handling-opinion', source(edited), DEMO_OFFICE_CONFIG))?.data.opinion).toEqual({
      ...opinion,
      decision: '责令该公司于十日内足额支付。',
    });
  });

  it('issues a review opinion in the name of the review organ, contesting the handling opinion by its number', async () => {
    const handling = {
      kind: 'generated',
      letterKind: 'handling-opinion',
      documentNo: '江信处〔2026〕7号',
      createdAt: '2026-04-27T03:00:00.000Z',
    } as DocumentRecord;
    const letter = await transitionLetter('review-opinion', source(reviewed, [handling]), DEMO_OFFICE_CONFIG);
    expect(letter?.data).toMatchObject({
      requestDate: '2026-05-10',
      original: { organ: '江川市信访局', documentNo: '江信处〔2026〕7号' },
      opinion: { ...REVIEW, outcome: 'reject' },
    });
    expect(letter?.office).toMatchObject({ organName: '江川市人民政府', sealText: '江川市人民政府', rereviewOrgan: '东州省人民政府' });
  });

  it('issues a re-review opinion in the name of the re-review organ, contesting the review opinion', async () => {
    const review = {
      kind: 'generated',
      letterKind: 'review-opinion',
      documentNo: '江信复〔2026〕3号',
      createdAt: '2026-06-01T03:00:00.000Z',
    } as DocumentRecord;
    const letter = await transitionLetter('rereview-opinion', source(rereviewed, [review]), DEMO_OFFICE_CONFIG);
    expect(letter?.data).toMatchObject({ requestDate: '2026-06-10', original: { organ: '江川市人民政府', documentNo: '江信复〔2026〕3号' } });
    expect(letter?.office.organName).toBe('东州省人民政府');
  });

  it('issues no review opinion when the action only records one made elsewhere', async () => {
    const recorded = step(reviewRequested.c, 'review-opinion', director, '2026-06-01', {
      outcome: 'reject',
      summary: '维持原处理意见',
      deliveredOn: '2026-06-01',
    });
    expect(recorded.result.letters).toEqual(['review-opinion']);
    expect(await transitionLetter('review-opinion', source(recorded), DEMO_OFFICE_CONFIG)).toBeNull();
  });

  it('checks the review opinion content the request carries (Art. 32)', () => {
    const r = LETTER_INPUTS['review-opinion'].safeParse({ opinion: { ...REVIEW, legalBasis: '相关规定' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['opinion.legalBasis']);
  });

  it('gives the receipt the channel and the query code, and none to a referral from above', () => {
    expect(receiptLetter(start, QUERY_CODE, '2026-03-02', DEMO_OFFICE_CONFIG)?.data).toMatchObject({
      channel: 'letter',
      queryCode: QUERY_CODE,
      receivedDate: '2026-03-02',
    });
    const referral = registered({ channel: { type: 'referral', fromOrgan: '东州省信访局', reference: '东信转〔2026〕5号' } });
    expect(receiptLetter(referral, QUERY_CODE, '2026-03-02', DEMO_OFFICE_CONFIG)).toBeNull();
  });

  it('addresses a petition of several persons to the first petitioner and the count', () => {
    expect(salutation(registered({ persons: 5, representatives: ['张建华'] }))).toBe('张建华等5人');
    expect(salutation(start)).toBe('张建华');
  });
});

describe('issuing the letters of a transition', () => {
  it('numbers, renders and stores the acceptance notice, and returns its document record', async () => {
    const h = harness();
    const [doc, ...rest] = await h.issuer.issue(accepted.before, accepted.result, director, context(accepted));
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({
      caseNo: 'XF-2026-000001',
      documentId: 'doc-1',
      kind: 'generated',
      letterKind: 'acceptance-notice',
      toPetitioner: true,
      fileName: 'XF-2026-000001-受理告知书.pdf',
      contentType: 'application/pdf',
      key: generatedKey('XF-2026-000001', 'doc-1'),
      status: 'verified',
      documentNo: '江信受〔2026〕1号',
      pages: 1,
      uploadedBy: 'director1',
      createdAt: accepted.c.updatedAt,
    });
    const bytes = h.objects.get(doc!.key)!;
    expect(doc!.size).toBe(bytes.byteLength);
    expect(doc!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(doc!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const printed = await text(bytes);
    for (const s of [
      '江川市信访局',
      '江信受〔2026〕1号',
      '受理告知书',
      '张建华：',
      'XF-2026-000001',
      QUERY_CODE,
      `校验码：${shortLetterHash(doc!.contentHash!)}`,
    ])
      expect(printed).toContain(s);
    expect(h.counters).toEqual(new Map([['江信受〔2026〕{seq}号', 1]]));
  });

  it('takes the next number of the series for the next letter, never the same one', async () => {
    const h = harness();
    const first = await h.issuer.issue(accepted.before, accepted.result, director, context(accepted));
    const second = await h.issuer.issue(accepted.before, accepted.result, director, context(accepted));
    const handling = await h.issuer.issue(approved.before, approved.result, director, context(approved));
    expect([first[0]?.documentNo, second[0]?.documentNo, handling[0]?.documentNo]).toEqual(['江信受〔2026〕1号', '江信受〔2026〕2号', '江信处〔2026〕1号']);
    expect(documentNumberSeries('{short}信处〔{year}〕{seq}号', '江', 2027)).toBe('江信处〔2027〕{seq}号');
  });

  it('prints the Art. 32 elements, the review organ and the 30-day limit in the handling opinion', async () => {
    const h = harness();
    const [doc] = await h.issuer.issue(approved.before, approved.result, director, context(approved));
    const printed = await text(h.objects.get(doc!.key)!);
    for (const s of [
      opinion.request,
      opinion.facts,
      opinion.decision,
      opinion.legalBasis,
      '予以支持',
      '30日内，向江川市人民政府书面提出复查请求',
      'XF-2026-000001',
    ]) {
      expect(printed).toContain(normalise(s));
    }
    expect(doc).toMatchObject({ letterKind: 'handling-opinion', documentNo: '江信处〔2026〕1号', toPetitioner: true });
  });

  it('prints the finality of a re-review opinion, issued by the re-review organ', async () => {
    const h = harness();
    const review = {
      kind: 'generated',
      letterKind: 'review-opinion',
      documentNo: '江信复〔2026〕3号',
      createdAt: '2026-06-01T03:00:00.000Z',
    } as DocumentRecord;
    const [doc] = await h.issuer.issue(rereviewed.before, rereviewed.result, director, context(rereviewed, [review]));
    const printed = await text(h.objects.get(doc!.key)!);
    expect(printed).toContain('东州省人民政府');
    expect(printed).toContain('信访人对复核意见不服，仍以同一事实和理由提出投诉请求的，不再受理。');
    expect(doc).toMatchObject({ letterKind: 'rereview-opinion', documentNo: '江信复核〔2026〕1号' });
  });

  it('refuses a handling opinion whose legal basis names no law with a 400 on opinion.legalBasis, storing nothing and taking no number', async () => {
    const h = harness();
    const reply = { ...approved.c.reply!, legalBasis: '有关规定' };
    const result = { ...approved.result, next: { ...approved.c, reply } };
    const e = await rejected(h.issuer.issue(approved.before, result, director, context(approved)));
    expect(e.issues.map((i) => i.field)).toEqual(['opinion.legalBasis']);
    expect(e.message).toContain('信访处理意见书');
    expect(h.objects.size).toBe(0);
    expect(h.counters.size).toBe(0);
  });

  it('refuses a letter with a character the font cannot draw before anything is stored', async () => {
    const h = harness();
    const odd = { ...accepted.c, subject: '反映\u{1F600}问题' };
    const e = await rejected(h.issuer.issue(accepted.before, { ...accepted.result, next: odd }, director, context(accepted)));
    // Named by the field of the letter's data (the registration refuses it earlier, as the request's `subject`).
    expect(e.issues[0]?.field).toBe('subject');
    expect(h.objects.size).toBe(0);
    expect(h.counters.size).toBe(0);
  });

  it('issues the receipt at registration with the query code, and no number', async () => {
    const h = harness();
    const [doc] = await h.issuer.issueReceipt(start, QUERY_CODE, clerk);
    expect(doc).toMatchObject({ letterKind: 'receipt', toPetitioner: true, createdAt: start.createdAt });
    expect(doc?.documentNo).toBeUndefined();
    expect(printsQueryCode(doc!)).toBe(true);
    expect(await text(h.objects.get(doc!.key)!)).toContain(`查询码为${QUERY_CODE}`);
    expect(h.counters.size).toBe(0);
  });

  it("uses the office's template override, read again once the cache has expired", async () => {
    const h = harness();
    const line = (w: string) => `${w}{{petitionerName}}：{{receivingOrgan}}将办理你的事项。`;
    await h.templates.putTemplateOverride({
      type: 'transfer-notice',
      text: line('第一版'),
      updatedBy: 'admin1',
      updatedAt: '2026-03-01T00:00:00Z',
      version: 1,
    });
    const s = step(start, 'transfer', director, '2026-03-05', { transferTo: '江川县人民政府', reason: '属县级人民政府职责' });
    const first = await h.issuer.issue(s.before, s.result, director, context(s));
    expect(await text(h.objects.get(first[0]!.key)!)).toContain('第一版张建华：江川县人民政府将办理你的事项。');

    await h.templates.putTemplateOverride({
      type: 'transfer-notice',
      text: line('第二版'),
      updatedBy: 'admin1',
      updatedAt: '2026-03-04T03:00:10Z',
      version: 2,
    });
    h.clock.set('2026-03-04T03:00:30Z');
    const cached = await h.issuer.issue(s.before, s.result, director, context(s));
    expect(await text(h.objects.get(cached[0]!.key)!)).toContain('第一版');
    h.clock.set('2026-03-04T03:01:01Z');
    const fresh = await h.issuer.issue(s.before, s.result, director, context(s));
    expect(await text(h.objects.get(fresh[0]!.key)!)).toContain('第二版');
    expect(h.templates.reads).toBe(2);
  });

  it('renders every letter a case issues on its way, each with the number of its own series', async () => {
    const h = harness();
    const declined = step(start, 'decline', director, '2026-03-05', {
      route: 'arbitration',
      routeOrgan: '江川市劳动人事争议仲裁委员会',
      reason: '该争议属于劳动争议',
    });
    const transferred = step(start, 'transfer', director, '2026-03-05', { transferTo: '江川县人民政府', reason: '属县级人民政府职责' });
    const issued: DocumentRecord[] = [];
    for (const s of [accepted, declined, transferred, extended, approved, reviewed, rereviewed]) {
      issued.push(...(await h.issuer.issue(s.before, s.result, director, context(s, issued))));
    }
    expect(issued.map((d) => [d.letterKind, d.documentNo, d.pages])).toEqual([
      ['acceptance-notice', '江信受〔2026〕1号', 1],
      ['non-acceptance-notice', '江信不受〔2026〕1号', 1],
      ['transfer-notice', '江信转〔2026〕1号', 1],
      ['extension-notice', '江信延〔2026〕1号', 1],
      ['handling-opinion', '江信处〔2026〕1号', 1],
      ['review-opinion', '江信复〔2026〕1号', 2],
      ['rereview-opinion', '江信复核〔2026〕1号', 2],
    ]);
    // The review opinion contests the handling opinion the registry issued, by its number.
    expect(await text(h.objects.get(issued[5]!.key)!)).toContain('你不服江川市信访局作出的《信访处理意见书》（江信处〔2026〕1号）');
    expect(await text(h.objects.get(issued[3]!.key)!)).toContain(normalise(`办理期限延长至`));
  });

  it('issues nothing for a transition without letters', async () => {
    const h = harness();
    expect(await h.issuer.issue(assigned.before, assigned.result, director, context(assigned))).toEqual([]);
    expect(h.templates.reads).toBe(0);
  });

  it('finds a letter by the hash its footer prints', async () => {
    const h = harness();
    const [doc] = await h.issuer.issue(accepted.before, accepted.result, director, context(accepted));
    expect(matchesShortHash(doc!.contentHash!, shortLetterHash(doc!.contentHash!).toUpperCase())).toBe(true);
  });
});

describe('the sealed query code', () => {
  it('opens with the same key for the same case only', () => {
    const sealed = sealQueryCode('pii-key', 'XF-2026-000001', QUERY_CODE);
    expect(sealed).not.toContain(QUERY_CODE);
    expect(openQueryCode('pii-key', 'XF-2026-000001', sealed)).toBe(QUERY_CODE);
    expect(openQueryCode('pii-key', 'XF-2026-000002', sealed)).toBeNull();
    expect(openQueryCode('another-key', 'XF-2026-000001', sealed)).toBeNull();
    expect(openQueryCode('pii-key', 'XF-2026-000001', 'garbage')).toBeNull();
    expect(sealQueryCode('pii-key', 'XF-2026-000001', QUERY_CODE)).not.toBe(sealed);
  });
});

describe('the letter templates of the office (admin)', () => {
  const setup = () => {
    const store = new MemoryTemplates();
    const clock = new FakeClock('2026-03-04T03:00:00Z');
    return { store, admin: new LetterTemplatesAdmin({ store, clock, office: DEMO_OFFICE_CONFIG, fonts: async () => fonts }) };
  };

  it('lists every type with its default, and only an admin may list or change them', async () => {
    const { admin: templates } = setup();
    const list = await templates.list(admin);
    expect(list.templates.map((t) => t.type)).toHaveLength(9);
    const handling = list.templates.find((t) => t.type === 'handling-opinion');
    expect(handling).toMatchObject({ title: '信访处理意见书', override: null });
    expect(handling?.text).toBe(handling?.defaultText);
    expect(handling?.required).toEqual(expect.arrayContaining(['legalBasis', 'reviewOrgan', 'reviewDays']));
    await expect(templates.list(director)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(templates.put(director, 'receipt', '{{caseNo}}{{queryCode}}', 0)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(templates.preview(director, 'receipt', '{{caseNo}}{{queryCode}}')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('stores a valid override normalised over the version read, and goes back to the default on delete', async () => {
    const { admin: templates, store } = setup();
    const raw = '  {{petitionerName}}同志，你的事项已转{{receivingOrgan}}办理。\r\n\r\n特此告知。  ';
    await expect(templates.put(admin, 'transfer-notice', raw)).rejects.toMatchObject({ code: 'PRECONDITION_REQUIRED' });
    await expect(templates.put(admin, 'transfer-notice', raw, 1)).rejects.toBeInstanceOf(ConflictError);
    const { before, after: view } = await templates.put(admin, 'transfer-notice', raw, 0);
    expect(before).toMatchObject({ version: 0, override: null });
    expect(view.override).toEqual({
      text: '{{petitionerName}}同志，你的事项已转{{receivingOrgan}}办理。\n特此告知。',
      updatedBy: 'admin1',
      updatedAt: '2026-03-04T03:00:00.000Z',
      version: 1,
    });
    expect(store.items.get('transfer-notice')?.text).toBe(view.text);
    // A second admin still holding version 0 is refused; the next version goes over version 1.
    await expect(templates.put(admin, 'transfer-notice', '{{receivingOrgan}}办理。', 0)).rejects.toBeInstanceOf(ConflictError);
    expect((await templates.put(admin, 'transfer-notice', '{{receivingOrgan}}办理。', 1)).after.version).toBe(2);
    expect((await templates.list(admin)).templates.find((t) => t.type === 'transfer-notice')).toMatchObject({ version: 2, override: { updatedBy: 'admin1' } });
    await expect(templates.remove(admin, 'transfer-notice', 1)).rejects.toBeInstanceOf(ConflictError);
    const reset = (await templates.remove(admin, 'transfer-notice', 2)).after;
    expect(reset.override).toBeNull();
    expect(reset.version).toBe(0);
    expect(reset.text).toBe(reset.defaultText);
    expect(store.items.size).toBe(0);
  });

  it('previews an edited wording as a PDF on the sample case, checked as a change is, storing nothing', async () => {
    const { admin: templates, store } = setup();
    const preview = await templates.preview(admin, 'transfer-notice', '{{petitionerName}}同志，你反映的事项已转{{receivingOrgan}}办理。');
    expect(preview).toMatchObject({ type: 'transfer-notice', title: '转送告知书', pages: 1 });
    const printed = await text(new Uint8Array(Buffer.from(preview.pdfBase64, 'base64')));
    expect(printed).toContain('王志强同志，你反映的事项已转江川县');
    expect(printed).toContain('〔预览〕');
    const unknown = await rejected(templates.preview(admin, 'transfer-notice', '{{receivingOrgan}}{{deadline}}'));
    expect(unknown.issues[0]?.reason).toContain('unknown placeholder {{deadline}}');
    expect(store.items.size).toBe(0);
  });

  it('refuses an unknown placeholder, a dropped Art. 32 element, and a character the font lacks', async () => {
    const { admin: templates, store } = setup();
    const unknown = await rejected(templates.put(admin, 'transfer-notice', '{{receivingOrgan}}{{deadline}}', 0));
    expect(unknown.issues[0]).toMatchObject({ field: 'text' });
    expect(unknown.issues[0]?.reason).toContain('unknown placeholder {{deadline}}');
    const dropped = await rejected(templates.put(admin, 'handling-opinion', '{{request}}{{facts}}{{decision}}{{outcome}}{{reviewOrgan}}{{reviewDays}}', 0));
    expect(dropped.issues[0]?.reason).toContain('{{legalBasis}}');
    const glyph = await rejected(templates.put(admin, 'transfer-notice', '{{receivingOrgan}}\u{1F600}', 0));
    expect(glyph.issues[0]?.reason).toContain('U+1F600');
    expect(store.items.size).toBe(0);
  });
});

describe('the answer and its approval, checked as the handling opinion will be (Art. 32)', () => {
  const fields = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ValidationError) return e.issues.map((i) => i.field);
      throw e;
    }
    throw new Error('expected a ValidationError');
  };

  it('refuses an answer whose legal basis names no law in 《》, or that misses an element', () => {
    expect(fields(() => applyRaw(extended.c, 'answer', { ...opinion, legalBasis: '依照有关规定' }, ctx(hrss, '2026-04-24')))).toEqual(['legalBasis']);
    expect(fields(() => applyRaw(extended.c, 'answer', { ...opinion, facts: ' \n ' }, ctx(hrss, '2026-04-24')))).toEqual(['facts']);
    const { legalBasis: _omitted, ...noBasis } = opinion;
    expect(fields(() => applyRaw(extended.c, 'answer', noBasis, ctx(hrss, '2026-04-24')))).toEqual(['legalBasis']);
  });

  it('refuses edits that blank an element, and an answer stored without a law, naming opinion.<field>', () => {
    expect(fields(() => applyRaw(answered.c, 'approve-reply', { edits: { legalBasis: '相关规定' } }, ctx(director, '2026-04-27')))).toEqual([
      'edits.legalBasis',
    ]);
    const legacy = { ...answered.c, answer: { ...answered.c.answer!, legalBasis: '依照有关规定' } };
    expect(fields(() => applyRaw(legacy, 'approve-reply', {}, ctx(director, '2026-04-27')))).toEqual(['opinion.legalBasis']);
    const fixed = applyRaw(legacy, 'approve-reply', { edits: { legalBasis: '《保障农民工工资支付条例》第三条' } }, ctx(director, '2026-04-27'));
    expect(fixed.next.reply?.legalBasis).toBe('《保障农民工工资支付条例》第三条');
  });
});
