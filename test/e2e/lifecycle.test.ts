/**
 * A letter's whole life through the local gateway: registered with a scanned PDF uploaded by
 * presigned POST, accepted, assigned, the scan downloaded and a response uploaded by the
 * department, answered, approved, delivered, the review window passed on the fake clock, closed
 * — and every step in the case's hash-chained audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { verifyCaseAudit } from '../../shared/adapters/audit-verify';
import { verifyChain, type AuditEvent } from '../../shared/domain/audit';
import { daysLeft } from '../../shared/domain/clocks';
import { shanghaiDate } from '../../shared/domain/time';
import { key } from '../../shared/storage/keys';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { eventually, ifMatch, png, registration, scannedPdf, sha256, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

describe('a letter from registration to closing', () => {
  it('walks every step through the HTTP API with the audit trail intact', async () => {
    const api = stack.api;
    const scan = await scannedPdf('Scanned letter of Zhang Jianhua');

    // Register with one scanned letter (idempotent create).
    const reg = await api.post(
      '/cases',
      registration({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: scan.byteLength, fileName: '来信扫描件.pdf' }] }),
      {
        token: t.clerk,
        headers: { 'idempotency-key': 'e2e-lifecycle-0001' },
      },
    );
    expect(reg.status).toBe(201);
    const caseNo: string = reg.json.case.caseNo;
    expect(caseNo).toMatch(/^XF-2026-\d{6}$/);
    expect(reg.json.queryCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(reg.headers.get('etag')).toBe('"1"');
    expect(reg.json.case.clocks.notify.due).toBe('2026-03-17');

    // The browser uploads the scan straight to S3; the upload check records it.
    const up = await uploadPresignedPost(reg.json.uploads[0].upload, scan, { contentType: 'application/pdf', filename: '来信扫描件.pdf' });
    expect(up.status).toBeLessThan(300);
    const letterDoc = await eventually(async () => {
      const c = await api.get(`/cases/${caseNo}`, { token: t.clerk });
      const d = c.json.documents.find((x: { kind: string }) => x.kind === 'letter');
      return d?.status === 'verified' ? d : undefined;
    }, 'the scan to be verified');
    expect(letterDoc.sha256).toBe(sha256(scan));

    // Accept: If-Match is required, a stale version is refused.
    expect((await api.post(`/cases/${caseNo}/accept`, {}, { token: t.director })).status).toBe(428);
    expect((await api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(7) })).status).toBe(409);
    stack.clock.set('2026-03-04T02:00:00Z');
    const accepted = await api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(1) });
    expect(accepted.status).toBe(200);
    expect(accepted.json.status).toBe('accepted');
    expect(accepted.json.clocks.handling.due).toBe('2026-05-06'); // 60 days from 03-04 is 05-03, in the Labour Day holiday → 05-06

    const assigned = await api.post(`/cases/${caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status).toBe(200);
    expect(assigned.json.clocks.departmentDue.due < assigned.json.clocks.handling.due).toBe(true);

    // Another department cannot see it at all; the handling department can.
    expect((await api.get(`/cases/${caseNo}`, { token: t.housing })).status).toBe(404);
    const inbox = await api.get('/inbox', { token: t.hrss });
    expect(inbox.json.items.map((i: { caseNo: string }) => i.caseNo)).toContain(caseNo);
    expect(inbox.json.items[0].petitioners[0].idNumber).toBe('110105********002X');
    // Lists say how many days are left on the department's clock, as of the office's today (the fake clock).
    const today = shanghaiDate(stack.clock.now());
    const expectedDays = daysLeft(assigned.json.clocks.departmentDue, today);
    expect(inbox.json.items.find((i: { caseNo: string }) => i.caseNo === caseNo).daysLeft).toBe(expectedDays);
    const listed = await api.get(`/cases?caseNo=${caseNo}`, { token: t.clerk });
    expect(listed.json.items[0].daysLeft).toBe(expectedDays);

    // The department downloads the scan: byte-identical, and recorded.
    const link = await api.get(`/cases/${caseNo}/documents/${letterDoc.documentId}/download`, { token: t.hrss });
    expect(link.status).toBe(200);
    const downloaded = new Uint8Array(await (await fetch(link.json.url)).arrayBuffer());
    expect(sha256(downloaded)).toBe(sha256(scan));

    // ...and uploads its response.
    stack.clock.set('2026-03-20T02:00:00Z');
    const image = png();
    const respLink = await api.post(
      `/cases/${caseNo}/documents`,
      { kind: 'response', contentType: 'image/png', size: image.byteLength, fileName: '现场照片.png' },
      { token: t.hrss },
    );
    expect(respLink.status).toBe(201);
    expect((await uploadPresignedPost(respLink.json.upload, image, { contentType: 'image/png' })).status).toBeLessThan(300);
    await eventually(async () => {
      const c = await api.get(`/cases/${caseNo}`, { token: t.hrss });
      return c.json.documents.some((d: { kind: string; status: string }) => d.kind === 'response' && d.status === 'verified') ? true : undefined;
    }, 'the response to be verified');

    const current = await api.get(`/cases/${caseNo}`, { token: t.hrss });
    const answered = await api.post(
      `/cases/${caseNo}/answer`,
      {
        request: '请求支付拖欠工资3.2万元',
        facts: '经调查，该公司确实拖欠信访人工资3.2万元。',
        decision: '责令该公司于十五日内足额支付。',
        outcome: 'support',
        legalBasis: '《保障农民工工资支付条例》第三条',
      },
      { token: t.hrss, headers: ifMatch(current.json.version) },
    );
    expect(answered.status).toBe(200);
    expect(answered.json.status).toBe('answered');

    const approved = await api.post(`/cases/${caseNo}/approve-reply`, {}, { token: t.director, headers: ifMatch(answered.json.version) });
    expect(approved.status).toBe(200);
    expect(approved.json.status).toBe('replied');

    stack.clock.set('2026-03-23T02:00:00Z');
    const delivered = await api.post(
      `/cases/${caseNo}/deliver`,
      { deliveredOn: '2026-03-23', method: 'post' },
      { token: t.clerk, headers: ifMatch(approved.json.version) },
    );
    expect(delivered.status).toBe(200);
    const window = delivered.json.clocks.reviewRequestWindow.due;
    expect(window).toBe('2026-04-22');

    // Closing while the review window is open is refused; once it has passed, it closes.
    expect((await api.post(`/cases/${caseNo}/close`, {}, { token: t.clerk, headers: ifMatch(delivered.json.version) })).status).toBe(409);
    stack.clock.set('2026-04-23T02:00:00Z');
    const closed = await api.post(`/cases/${caseNo}/close`, {}, { token: t.clerk, headers: ifMatch(delivered.json.version) });
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe('closed');

    // The petitioner's view.
    const pub = await api.post('/public/query', { caseNo, queryCode: reg.json.queryCode });
    expect(pub.status).toBe(200);
    expect(pub.json.status).toBe('closed');
    expect(pub.json.reviewRequestDue).toBe('2026-04-22');
    expect(JSON.stringify(pub.json)).not.toContain('13812345678');
    expect((await api.post('/public/query', { caseNo, queryCode: 'AAAAAAAA' })).status).toBe(404);
    const rated = await api.post('/public/rating', { caseNo, queryCode: reg.json.queryCode, rating: 'satisfied', comment: '处理及时' });
    expect(rated.status).toBe(200);
    expect(rated.json.rating.value).toBe('satisfied');
    expect((await api.post('/public/rating', { caseNo, queryCode: reg.json.queryCode, rating: 'unsatisfied' })).status).toBe(409);

    // Every step is in the hash-chained audit trail.
    const timeline = await api.get(`/cases/${caseNo}/timeline`, { token: t.clerk });
    const events = timeline.json.events as AuditEvent[];
    expect(events.map((e) => e.type)).toEqual([
      'case.registered',
      'document.verified',
      'case.accepted',
      'case.assigned',
      'document.downloaded',
      'document.upload-requested',
      'document.verified',
      'case.answered',
      'case.reply-approved',
      'case.delivered',
      'case.closed',
      'case.rated',
    ]);
    expect(verifyChain(caseNo, events)).toEqual({ ok: true, count: events.length });
    expect(JSON.stringify(events)).not.toContain('11010519491231002X');
    const download = events.find((e) => e.type === 'document.downloaded');
    expect(download?.actor).toMatchObject({ username: 'hrss1', deptCode: 'HRSS' });

    // The verification command's check finds the chain intact, then finds a tampered event.
    const repo = new DynamoDbCaseRepository(documentClient(stack.clients.dynamodb), stack.tableName);
    expect(await verifyCaseAudit(repo, caseNo)).toEqual({ ok: true, count: events.length });
    await stack.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: { pk: { S: key.audit(caseNo, 3).pk }, sk: { S: key.audit(caseNo, 3).sk } },
        UpdateExpression: 'SET #e.#t = :t',
        ExpressionAttributeNames: { '#e': 'event', '#t': 'type' },
        ExpressionAttributeValues: { ':t': { S: 'case.declined' } },
      }),
    );
    expect(await verifyCaseAudit(repo, caseNo)).toMatchObject({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });
  });
});

describe('the upload check', () => {
  it('quarantines a file whose bytes are not what was declared, with the reason on the case', async () => {
    // Prepare: a PNG declared as a PDF.
    const api = stack.api;
    const image = png();
    const reg = await api.post(
      '/cases',
      registration({
        petitioners: [{ name: '孙海燕', phone: '13600002222' }],
        uploads: [{ kind: 'letter', contentType: 'application/pdf', size: image.byteLength, fileName: 'scan.pdf' }],
      }),
      { token: t.clerk },
    );
    expect(reg.status).toBe(201);
    const caseNo = reg.json.case.caseNo;

    // Act
    await uploadPresignedPost(reg.json.uploads[0].upload, image, { contentType: 'application/pdf' });
    await stack.settled();

    // Assess
    const c = await api.get(`/cases/${caseNo}`, { token: t.clerk });
    const doc = c.json.documents.find((d: { kind: string }) => d.kind === 'letter');
    expect(doc.status).toBe('quarantined');
    expect(doc.quarantineReason).toContain('不符');
    expect(c.json.timeline.map((e: { type: string }) => e.type)).toContain('document.quarantined');
    expect((await api.get(`/cases/${caseNo}/documents/${doc.documentId}/download`, { token: t.clerk })).status).toBe(404);
  });
});
