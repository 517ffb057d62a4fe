/**
 * The letters of a case through the local gateway: issued at the transition that needs them,
 * stored as documents of the case, named in the timeline, downloadable by those allowed to read
 * them and, for the petitioner, through the public query; the public letter check; a handling
 * opinion missing an Art. 32 element refused with nothing stored; and a template changed by the
 * admin without a deploy.
 */
import { verifyOfficeTrail } from '../../shared/app/office-audit';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbOfficeStore } from '../../shared/adapters/office-store';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../../shared/storage/keys';
import { S3_PREFIX } from '../../shared/storage/definitions';
import { startTestStack, type TestStack } from '../support/stack';
import { extractPageTexts, normalise } from '../unit/letters/pdf';
import { ifMatch, registration, sha256, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };
}, 60_000);
afterAll(() => stack?.stop());

/** The same petitioner writes again about another matter: the director confirms it is different. */
const ACCEPT_AGAIN = { warningsOverride: '同一信访人反映的另一事项' };

const ANSWER = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，江川市宏达建筑劳务有限公司确实拖欠信访人2025年工资3.2万元。',
  decision: '责令该公司于十五日内足额支付拖欠工资。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};

interface Doc {
  documentId: string;
  kind: string;
  letterKind?: string;
  documentNo?: string;
  contentHash?: string;
  sha256?: string;
  status: string;
  toPetitioner: boolean;
}

async function pdfText(url: string): Promise<{ bytes: Uint8Array; text: string }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, text: normalise((await extractPageTexts(bytes)).join('')) };
}

async function register(over: Record<string, unknown> = {}) {
  const reg = await stack.api.post('/cases', registration(over), { token: t.clerk });
  expect(reg.status).toBe(201);
  return {
    caseNo: reg.json.case.caseNo as string,
    version: reg.json.case.version as number,
    queryCode: reg.json.queryCode as string,
    documents: reg.json.case.documents as Doc[],
  };
}

/** Registered, accepted, assigned to HRSS, answered: ready for the director's approval. */
async function answeredCase() {
  const c = await register();
  const accepted = await stack.api.post(`/cases/${c.caseNo}/accept`, ACCEPT_AGAIN, { token: t.director, headers: ifMatch(c.version) });
  const assigned = await stack.api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(accepted.json.version) });
  const answered = await stack.api.post(`/cases/${c.caseNo}/answer`, ANSWER, { token: t.hrss, headers: ifMatch(assigned.json.version) });
  expect(answered.status).toBe(200);
  return { ...c, version: answered.json.version as number };
}

async function generatedObjects(caseNo: string): Promise<number> {
  const out = await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `${S3_PREFIX.generated}${caseNo}/` }));
  return out.KeyCount ?? 0;
}

describe('the letters of a case', () => {
  it('are issued at their transitions, listed in the timeline, downloadable and reachable through the public query', async () => {
    const api = stack.api;
    const c = await register();
    // Registration issues the receipt with the query code.
    const receipt = c.documents.find((d) => d.letterKind === 'receipt');
    expect(receipt).toMatchObject({ kind: 'generated', status: 'verified', toPetitioner: true });

    stack.clock.set('2026-03-04T02:00:00Z');
    const accepted = await api.post(`/cases/${c.caseNo}/accept`, {}, { token: t.director, headers: ifMatch(c.version) });
    expect(accepted.status).toBe(200);
    const notice = (accepted.json.documents as Doc[]).find((d) => d.letterKind === 'acceptance-notice');
    expect(notice?.documentNo).toMatch(/^江信受〔2026〕[1-9]\d*号$/);

    const assigned = await api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    stack.clock.set('2026-03-20T02:00:00Z');
    // The department learns of a missing Art. 32 element when it answers.
    const vague = await api.post(
      `/cases/${c.caseNo}/answer`,
      { ...ANSWER, legalBasis: '有关法律法规' },
      { token: t.hrss, headers: ifMatch(assigned.json.version) },
    );
    expect(vague.status).toBe(400);
    expect(vague.json.error.issues.map((i: { field: string }) => i.field)).toEqual(['body.legalBasis']);
    const answered = await api.post(`/cases/${c.caseNo}/answer`, ANSWER, { token: t.hrss, headers: ifMatch(assigned.json.version) });
    expect(answered.status).toBe(200);

    stack.clock.set('2026-03-21T02:00:00Z');
    const approved = await api.post(`/cases/${c.caseNo}/approve-reply`, {}, { token: t.director, headers: ifMatch(answered.json.version) });
    expect(approved.status).toBe(200);
    const opinion = (approved.json.documents as Doc[]).find((d) => d.letterKind === 'handling-opinion');
    expect(opinion?.documentNo).toMatch(/^江信处〔2026〕[1-9]\d*号$/);
    expect(opinion?.toPetitioner).toBe(true);

    // The timeline names the letters each transition issued.
    const events = (await api.get(`/cases/${c.caseNo}/timeline`, { token: t.clerk })).json.events as {
      type: string;
      data: { letters?: { documentId: string; documentNo?: string; letterKind: string }[] };
    }[];
    const lettersOf = (type: string) => events.find((e) => e.type === type)?.data.letters;
    expect(lettersOf('case.registered')).toEqual([expect.objectContaining({ documentId: receipt?.documentId, letterKind: 'receipt' })]);
    expect(lettersOf('case.accepted')).toEqual([
      expect.objectContaining({ documentId: notice?.documentId, documentNo: notice?.documentNo, letterKind: 'acceptance-notice' }),
    ]);
    expect(lettersOf('case.reply-approved')).toEqual([
      expect.objectContaining({ documentId: opinion?.documentId, documentNo: opinion?.documentNo, letterKind: 'handling-opinion' }),
    ]);

    // The office downloads the acceptance notice through its recorded link: the stored bytes, printing the query code.
    const noticeLink = await api.get(`/cases/${c.caseNo}/documents/${notice?.documentId}/download`, { token: t.director });
    expect(noticeLink.status).toBe(200);
    const noticePdf = await pdfText(noticeLink.json.url);
    expect(sha256(noticePdf.bytes)).toBe(notice?.sha256);
    for (const s of [c.caseNo, notice?.documentNo, c.queryCode, '受理告知书']) expect(noticePdf.text).toContain(s);

    // The department reads the handling opinion, but never a letter that prints the query code.
    const opinionLink = await api.get(`/cases/${c.caseNo}/documents/${opinion?.documentId}/download`, { token: t.hrss });
    expect(opinionLink.status).toBe(200);
    const opinionPdf = await pdfText(opinionLink.json.url);
    for (const s of [c.caseNo, opinion?.documentNo, '信访处理意见书', '江川市人民政府', '30日内', normalise(ANSWER.legalBasis), normalise(ANSWER.facts)])
      expect(opinionPdf.text).toContain(s);
    expect((await api.get(`/cases/${c.caseNo}/documents/${notice?.documentId}/download`, { token: t.hrss })).status).toBe(404);
    const deptView = await api.get(`/cases/${c.caseNo}`, { token: t.hrss });
    expect((deptView.json.documents as Doc[]).map((d) => d.letterKind)).not.toContain('acceptance-notice');
    expect(await generatedObjects(c.caseNo)).toBe(3);

    // Delivery: the last day to ask for a review appears in the case and the public query.
    stack.clock.set('2026-03-23T02:00:00Z');
    const delivered = await api.post(
      `/cases/${c.caseNo}/deliver`,
      { deliveredOn: '2026-03-23', method: 'post' },
      { token: t.clerk, headers: ifMatch(approved.json.version) },
    );
    expect(delivered.status).toBe(200);
    expect(delivered.json.clocks.reviewRequestWindow.due).toBe('2026-04-22');

    // The petitioner: status, the review deadline, the letters addressed to them, and a download.
    const pub = await api.post('/public/query', { caseNo: c.caseNo, queryCode: c.queryCode });
    expect(pub.status).toBe(200);
    expect(pub.json.reviewRequestDue).toBe('2026-04-22');
    expect((pub.json.letters as Doc[]).map((l) => l.letterKind).sort()).toEqual(['acceptance-notice', 'handling-opinion', 'receipt']);
    const pubLink = await api.post('/public/letters/download', { caseNo: c.caseNo, queryCode: c.queryCode, documentId: opinion?.documentId });
    expect(pubLink.status).toBe(200);
    expect(sha256((await pdfText(pubLink.json.url)).bytes)).toBe(opinion?.sha256);

    // The public letter check: the hash printed in the footer confirms the letter, and only that.
    const printed = /校验码：([0-9a-f]{12})/.exec(opinionPdf.text)?.[1];
    expect(printed).toBe(opinion?.contentHash?.slice(0, 12));
    const verified = await api.post('/public/verify-letter', { caseNo: c.caseNo, hash: printed?.toUpperCase() });
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual({ issued: true, letterKind: 'handling-opinion', documentNo: opinion?.documentNo, issuedOn: '2026-03-21' });
    const wrong = `${printed?.slice(0, 11)}${printed?.endsWith('0') ? '1' : '0'}`;
    expect((await api.post('/public/verify-letter', { caseNo: c.caseNo, hash: wrong })).status).toBe(404);
    const other = await register();
    expect((await api.post('/public/verify-letter', { caseNo: other.caseNo, hash: printed })).status).toBe(404);
    expect((await api.post('/public/verify-letter', { caseNo: c.caseNo, hash: printed?.slice(0, 8) })).status).toBe(400);
  });

  it('refuses a handling opinion missing an Art. 32 element with 400, storing no document', async () => {
    const c = await answeredCase();
    const before = await stack.api.get(`/cases/${c.caseNo}`, { token: t.director });
    const docsBefore = (before.json.documents as Doc[]).length;
    const objectsBefore = await generatedObjects(c.caseNo);
    expect(objectsBefore).toBe(2);

    // The director's edits are checked like the answer.
    const blanked = await stack.api.post(
      `/cases/${c.caseNo}/approve-reply`,
      { edits: { legalBasis: '相关规定' } },
      { token: t.director, headers: ifMatch(c.version) },
    );
    expect(blanked.status).toBe(400);
    expect(blanked.json.error.issues.map((i: { field: string }) => i.field)).toEqual(['body.edits.legalBasis']);

    // An answer stored without a law in 《》 (before the rule): approving it is refused as a whole.
    await stack.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: { pk: { S: key.case(c.caseNo).pk }, sk: { S: key.case(c.caseNo).sk } },
        UpdateExpression: 'SET #r.#a.#l = :v',
        ExpressionAttributeNames: { '#r': 'record', '#a': 'answer', '#l': 'legalBasis' },
        ExpressionAttributeValues: { ':v': { S: '依照有关规定' } },
      }),
    );
    const refused = await stack.api.post(`/cases/${c.caseNo}/approve-reply`, {}, { token: t.director, headers: ifMatch(c.version) });
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues).toEqual([{ field: 'opinion.legalBasis', reason: expect.stringContaining('《》') }]);

    const after = await stack.api.get(`/cases/${c.caseNo}`, { token: t.director });
    expect(after.json.status).toBe('answered');
    expect(after.json.version).toBe(c.version);
    expect((after.json.documents as Doc[]).length).toBe(docsBefore);
    expect((after.json.documents as Doc[]).some((d) => d.letterKind === 'handling-opinion')).toBe(false);
    expect(await generatedObjects(c.caseNo)).toBe(objectsBefore);

    // Corrected by the director's edit, it is issued.
    const fixed = await stack.api.post(
      `/cases/${c.caseNo}/approve-reply`,
      { edits: { legalBasis: '《保障农民工工资支付条例》第三条' } },
      { token: t.director, headers: ifMatch(c.version) },
    );
    expect(fixed.status).toBe(200);
    expect((fixed.json.documents as Doc[]).some((d) => d.letterKind === 'handling-opinion')).toBe(true);
  });
});

describe('letter templates per office (admin)', () => {
  it('changes the wording of the next letter without a deploy, and goes back to the default', async () => {
    const api = stack.api;
    const list = await api.get('/admin/templates', { token: t.admin });
    expect(list.status).toBe(200);
    const defaultText = (list.json.templates as { type: string; text: string; override: unknown }[]).find((x) => x.type === 'acceptance-notice');
    expect(defaultText?.override).toBeNull();
    expect((await api.get('/admin/templates', { token: t.director })).status).toBe(403);

    const text = [
      '{{petitionerName}}：你于{{receivedDate}}反映的{{subject}}一事（案件编号：{{caseNo}}），本局已于{{acceptedDate}}受理，将于{{handlingDue}}前书面答复。',
      '凭查询码{{queryCode}}可在{{queryUrl}}查询进展。',
    ].join('\n');
    expect((await api.put('/admin/templates/acceptance-notice', { text }, { token: t.clerk, headers: ifMatch(0) })).status).toBe(403);
    const bad = await api.put('/admin/templates/acceptance-notice', { text: '本局已受理。{{deadline}}' }, { token: t.admin, headers: ifMatch(0) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].reason).toContain('{{deadline}}');
    expect((await api.put('/admin/templates/thank-you-note', { text }, { token: t.admin, headers: ifMatch(0) })).status).toBe(400);
    // The PDF of the edited wording on a sample case, before saving: nothing stored.
    const preview = await api.post('/admin/templates/acceptance-notice/preview', { text }, { token: t.admin });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ type: 'acceptance-notice', title: '受理告知书', pages: 1 });
    expect(
      Buffer.from(preview.json.pdfBase64 as string, 'base64')
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await api.post('/admin/templates/acceptance-notice/preview', { text: '{{deadline}}' }, { token: t.admin })).status).toBe(400);
    // Saved over the version read: none is a 428, a stale one a 409.
    expect((await api.put('/admin/templates/acceptance-notice', { text }, { token: t.admin })).status).toBe(428);
    expect((await api.put('/admin/templates/acceptance-notice', { text }, { token: t.admin, headers: ifMatch(2) })).status).toBe(409);
    const put = await api.put('/admin/templates/acceptance-notice', { text }, { token: t.admin, headers: ifMatch(0) });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"1"');
    expect(put.json.override).toMatchObject({ text, updatedBy: 'admin1', version: 1 });

    // Issuers keep the overrides for up to a minute; past that, the next letter uses the new wording.
    stack.clock.set('2026-04-01T02:00:00Z');
    const c = await register({ receivedOn: '2026-03-31' });
    const accepted = await api.post(`/cases/${c.caseNo}/accept`, ACCEPT_AGAIN, { token: t.director, headers: ifMatch(c.version) });
    expect(accepted.status).toBe(200);
    const notice = (accepted.json.documents as Doc[]).find((d) => d.letterKind === 'acceptance-notice');
    const link = await api.get(`/cases/${c.caseNo}/documents/${notice?.documentId}/download`, { token: t.clerk });
    const printed = (await pdfText(link.json.url)).text;
    expect(printed).toContain(`本局已于2026年4月1日受理`);
    expect(printed).not.toContain('经审查，该事项属于本机关职责范围');

    // Back to the default.
    const reset = await api.delete('/admin/templates/acceptance-notice', { token: t.admin, headers: ifMatch(1) });
    expect(reset.status).toBe(200);
    expect(reset.json.override).toBeNull();
    stack.clock.set('2026-04-01T02:05:00Z');
    const d = await register({ receivedOn: '2026-03-31' });
    const again = await api.post(`/cases/${d.caseNo}/accept`, ACCEPT_AGAIN, { token: t.director, headers: ifMatch(d.version) });
    const notice2 = (again.json.documents as Doc[]).find((x) => x.letterKind === 'acceptance-notice');
    const link2 = await api.get(`/cases/${d.caseNo}/documents/${notice2?.documentId}/download`, { token: t.clerk });
    expect((await pdfText(link2.json.url)).text).toContain('经审查，该事项属于本机关职责范围');

    // Both changes are events of the office's trail (who, before → after), which verifies.
    const trail = await api.get('/admin/audit', { token: t.admin });
    expect(trail.status).toBe(200);
    const events = trail.json.events as { type: string; actor: { username: string }; data: { type: string; before: string; after: string } }[];
    expect(events.map((e) => [e.type, e.data.type, e.actor.username])).toEqual([
      ['template.restored', 'acceptance-notice', 'admin1'],
      ['template.changed', 'acceptance-notice', 'admin1'],
    ]);
    expect(events[1]?.data).toMatchObject({ before: defaultText?.text, after: text });
    expect(events[0]?.data).toMatchObject({ before: text, after: defaultText?.text });
    expect(await verifyOfficeTrail(new DynamoDbOfficeStore(documentClient(stack.clients.dynamodb), stack.tableName), new Date().toISOString())).toMatchObject({
      ok: true,
      entries: 2,
    });
  });
});
