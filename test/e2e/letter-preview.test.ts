/**
 * The letter preview (POST /cases/{caseNo}/letters/preview) through the local gateway: the
 * director sees the letter an action would issue, rendered from the current case with 〔预览〕 for
 * the document number; only someone who may take the action may preview it; nothing is numbered,
 * stored or recorded. Also the approvals queue's list filter (GET /cases?awaiting=…).
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_PREFIX } from '../../shared/storage/definitions';
import { startTestStack, type TestStack } from '../support/stack';
import { extractPageTexts, normalise } from '../unit/letters/pdf';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

/** Every case here has the same petitioner: the director confirms each is a different matter. */
const OVERRIDE = { warningsOverride: '同一信访人反映的另一事项' };

const ANSWER = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，江川市宏达建筑劳务有限公司确实拖欠信访人2025年工资3.2万元。',
  decision: '责令该公司于十五日内足额支付拖欠工资。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};

interface PreviewLetter {
  letterKind: string;
  title: string;
  documentNo: string | null;
  pages: number;
  contentType: string;
  size: number;
  pdfBase64: string;
}

async function register() {
  const reg = await stack.api.post('/cases', registration(), { token: t.clerk });
  expect(reg.status).toBe(201);
  return { caseNo: reg.json.case.caseNo as string, version: reg.json.case.version as number };
}

async function proposed() {
  const c = await register();
  const p = await stack.api.post(
    `/cases/${c.caseNo}/propose`,
    { action: 'accept', deptCode: 'HRSS', reason: '属本机关受理范围，拟交人社局办理' },
    { token: t.clerk, headers: ifMatch(c.version) },
  );
  expect(p.status).toBe(200);
  return { caseNo: c.caseNo, version: p.json.version as number };
}

/** What a preview must leave as it was: the case, its documents, its timeline, the stored letters. */
async function footprint(caseNo: string) {
  const [view, timeline, objects] = await Promise.all([
    stack.api.get(`/cases/${caseNo}`, { token: t.director }),
    stack.api.get(`/cases/${caseNo}/timeline`, { token: t.director }),
    stack.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `${S3_PREFIX.generated}${caseNo}/` })),
  ]);
  return {
    version: view.json.version as number,
    status: view.json.status as string,
    documents: (view.json.documents as { documentId: string }[]).map((d) => d.documentId).sort(),
    events: (timeline.json.events as unknown[]).length,
    objects: objects.KeyCount ?? 0,
  };
}

async function pdfText(letter: PreviewLetter): Promise<string> {
  const bytes = new Uint8Array(Buffer.from(letter.pdfBase64, 'base64'));
  expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  expect(bytes.byteLength).toBe(letter.size);
  return normalise((await extractPageTexts(bytes)).join(''));
}

describe('the letter preview', () => {
  it('renders the acceptance notice a director would issue by approving a proposal, and stores, numbers and records nothing', async () => {
    const c = await proposed();
    const before = await footprint(c.caseNo);

    const res = await stack.api.post(`/cases/${c.caseNo}/letters/preview`, { action: 'approve-proposal', input: OVERRIDE }, { token: t.director });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ caseNo: c.caseNo, version: c.version, action: 'approve-proposal' });
    const letters = res.json.letters as PreviewLetter[];
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ letterKind: 'acceptance-notice', title: '受理告知书', documentNo: '〔预览〕', contentType: 'application/pdf' });
    expect(letters[0]!.pages).toBeGreaterThanOrEqual(1);
    const text = await pdfText(letters[0]!);
    for (const s of [c.caseNo, '受理告知书', '〔预览〕']) expect(text).toContain(s);
    expect(text).not.toMatch(/江信受〔2026〕\d+号/);

    // Nothing changed: the case, its documents, its timeline, its stored letters.
    expect(await footprint(c.caseNo)).toEqual(before);

    // No number was taken: the real approval gets the first acceptance-notice number of the year.
    const approved = await stack.api.post(`/cases/${c.caseNo}/approve-proposal`, OVERRIDE, { token: t.director, headers: ifMatch(c.version) });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'assigned', deptCode: 'HRSS' });
    const notice = (approved.json.documents as { letterKind?: string; documentNo?: string }[]).find((d) => d.letterKind === 'acceptance-notice');
    expect(notice?.documentNo).toBe('江信受〔2026〕1号');
  });

  it('renders the handling opinion of an answer, with the director’s edits', async () => {
    const c = await proposed();
    const approved = await stack.api.post(`/cases/${c.caseNo}/approve-proposal`, OVERRIDE, { token: t.director, headers: ifMatch(c.version) });
    const answered = await stack.api.post(`/cases/${c.caseNo}/answer`, ANSWER, { token: t.hrss, headers: ifMatch(approved.json.version) });
    expect(answered.status).toBe(200);
    const before = await footprint(c.caseNo);

    const edits = { decision: '责令该公司于十日内足额支付拖欠工资。' };
    const res = await stack.api.post(
      `/cases/${c.caseNo}/letters/preview`,
      { action: 'approve-reply', input: { edits } },
      { token: t.director, headers: ifMatch(answered.json.version) },
    );
    expect(res.status).toBe(200);
    const [letter] = res.json.letters as PreviewLetter[];
    expect(letter).toMatchObject({ letterKind: 'handling-opinion', title: '信访处理意见书', documentNo: '〔预览〕' });
    const text = await pdfText(letter!);
    for (const s of [c.caseNo, '信访处理意见书', normalise(ANSWER.legalBasis), normalise(edits.decision)]) expect(text).toContain(s);
    expect(await footprint(c.caseNo)).toEqual(before);

    // The same body rules as the action: an edit without a law in 《》 names its field.
    const vague = await stack.api.post(
      `/cases/${c.caseNo}/letters/preview`,
      { action: 'approve-reply', input: { edits: { legalBasis: '有关法律法规' } } },
      { token: t.director },
    );
    expect(vague.status).toBe(400);
    expect(vague.json.error.issues.map((i: { field: string }) => i.field)).toEqual(['body.input.edits.legalBasis']);
    // A stale version is a conflict, like the action's.
    const stale = await stack.api.post(
      `/cases/${c.caseNo}/letters/preview`,
      { action: 'approve-reply', input: {} },
      { token: t.director, headers: ifMatch(answered.json.version - 1) },
    );
    expect(stale.status).toBe(409);
  });

  it('obeys the permissions of the action and accepts only actions that issue letters', async () => {
    const c = await proposed();
    const before = await footprint(c.caseNo);
    const preview = (token: string, body: Record<string, unknown> = { action: 'approve-proposal', input: OVERRIDE }) =>
      stack.api.post(`/cases/${c.caseNo}/letters/preview`, body, { token });

    // The clerk may not approve a proposal, so may not preview its letter.
    expect((await preview(t.clerk)).status).toBe(403);
    // A department that never had the case does not even learn it exists.
    expect((await preview(t.housing)).status).toBe(404);
    expect((await preview(t.hrss)).status).toBe(404);
    // The director may not approve a reply on a registered case: the action's own 409.
    expect((await preview(t.director, { action: 'approve-reply', input: {} })).status).toBe(409);
    // Only actions that issue a letter.
    const assign = await preview(t.director, { action: 'assign', input: { deptCode: 'HRSS' } });
    expect(assign.status).toBe(400);
    expect(assign.json.error.issues[0].field).toBe('body.action');
    expect(await footprint(c.caseNo)).toEqual(before);

    // Once assigned to HRSS, the department reads the case but still may not preview the director's letters.
    const approved = await stack.api.post(`/cases/${c.caseNo}/approve-proposal`, OVERRIDE, { token: t.director, headers: ifMatch(c.version) });
    const answered = await stack.api.post(`/cases/${c.caseNo}/answer`, ANSWER, { token: t.hrss, headers: ifMatch(approved.json.version) });
    expect(answered.status).toBe(200);
    expect((await preview(t.hrss, { action: 'approve-reply', input: {} })).status).toBe(403);
    expect((await preview(t.housing, { action: 'approve-reply', input: {} })).status).toBe(404);
  });
});

describe('the approvals queue (GET /cases?awaiting=…)', () => {
  it('lists what awaits the director: proposals, extension requests, answers', async () => {
    const bare = await register();
    const proposal = await proposed();
    const extension = await proposed();
    const reply = await proposed();
    const approve = async (c: { caseNo: string; version: number }) => {
      const r = await stack.api.post(`/cases/${c.caseNo}/approve-proposal`, OVERRIDE, { token: t.director, headers: ifMatch(c.version) });
      expect(r.status).toBe(200);
      return r.json.version as number;
    };
    const extVersion = await approve(extension);
    expect(
      (
        await stack.api.post(
          `/cases/${extension.caseNo}/request-extension`,
          { days: 15, reason: '需现场核查' },
          { token: t.hrss, headers: ifMatch(extVersion) },
        )
      ).status,
    ).toBe(200);
    const replyVersion = await approve(reply);
    expect((await stack.api.post(`/cases/${reply.caseNo}/answer`, ANSWER, { token: t.hrss, headers: ifMatch(replyVersion) })).status).toBe(200);

    const list = async (awaiting: string, token = t.director, extra: Record<string, string> = {}) => {
      const res = await stack.api.get(`/cases?${new URLSearchParams({ awaiting, ...extra })}`, { token });
      expect(res.status).toBe(200);
      return res.json.items as { caseNo: string; awaiting?: Record<string, unknown> }[];
    };
    const proposals = await list('proposal');
    expect(proposals.map((i) => i.caseNo)).toContain(proposal.caseNo);
    expect(proposals.map((i) => i.caseNo)).not.toContain(bare.caseNo);
    expect(proposals.find((i) => i.caseNo === proposal.caseNo)?.awaiting).toMatchObject({ kind: 'proposal', by: 'clerk1', action: 'accept', deptCode: 'HRSS' });
    expect(proposals.every((i) => i.awaiting?.kind === 'proposal')).toBe(true);

    const extensions = await list('extension');
    expect(extensions.map((i) => i.caseNo)).toEqual([extension.caseNo]);
    expect(extensions[0]?.awaiting).toMatchObject({ kind: 'extension', by: 'hrss1', days: 15, reason: '需现场核查' });

    const replies = await list('reply');
    expect(replies.map((i) => i.caseNo)).toContain(reply.caseNo);
    expect(replies.find((i) => i.caseNo === reply.caseNo)?.awaiting).toMatchObject({ kind: 'reply', by: 'hrss1', outcome: 'support', deptCode: 'HRSS' });

    // The queue reads marker items, written and removed with the transitions: one per waiting case.
    const markers = async (kind: string): Promise<string[]> => {
      const out = await stack.clients.dynamodb.send(
        new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `AWAITING#${kind}` } } }),
      );
      return (out.Items ?? []).map((i) => String(i.caseNo?.S));
    };
    expect(await markers('proposal')).toContain(proposal.caseNo);
    expect(await markers('proposal')).not.toContain(extension.caseNo); // approved: its marker went with the approval
    expect(await markers('extension')).toEqual([extension.caseNo]);
    const ext = (await stack.api.get(`/cases/${extension.caseNo}`, { token: t.director })).json;
    expect(
      (await stack.api.post(`/cases/${extension.caseNo}/extend`, { days: 15, reason: '需现场核查' }, { token: t.director, headers: ifMatch(ext.version) }))
        .status,
    ).toBe(200);
    expect(await markers('extension')).toEqual([]);
    expect(await list('extension')).toEqual([]);

    // A status that contradicts the kind lists nothing; a bad kind is a 400.
    expect(await list('reply', t.director, { status: 'registered' })).toEqual([]);
    expect((await stack.api.get('/cases?awaiting=nothing', { token: t.director })).status).toBe(400);
    // A department sees only its own cases in any list.
    expect((await list('reply', t.housing)).map((i) => i.caseNo)).not.toContain(reply.caseNo);
  });
});
