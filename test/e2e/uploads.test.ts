/**
 * Uploads through the local stack (s3rver, the real presigned POSTs and object-created events):
 * a verified document cannot be replaced through its link, files land only where the lifecycle
 * allows, a lost event is settled by the daily reconciliation, and the check and its audit event
 * are one write.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseAudit } from '../../shared/adapters/audit-verify';
import { documentClient, documentItem, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { Registry } from '../../shared/app/registry';
import { ENV } from '../../shared/config/env';
import { officeCalendar } from '../../shared/domain/clocks';
import { uploadKey, verifiedKey } from '../../shared/storage/object-keys';
import { parseOfficeSettings } from '../../shared/domain/office';
import { LOCAL_CREDENTIALS } from '../../local/emulators';
import { importFunctionHandler, type LoadHandler } from '../../local/gateway';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { ifMatch, registration, scannedPdf, sha256, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;
/** While set, object-created events are lost on their way to verify-upload (the schedule's event is not). */
let loseEvents = false;

const loadHandler: LoadHandler = async (fn) => {
  const real = await importFunctionHandler(fn);
  if (fn !== 'verify-upload') return real;
  return (async (event: unknown, context: unknown) => {
    if (loseEvents && typeof event === 'object' && event !== null && 'Records' in event) return undefined;
    return (real as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
  }) as typeof real;
};

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z', loadHandler });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

interface Doc {
  documentId: string;
  kind: string;
  status: string;
  sha256?: string;
  rejectionReason?: string;
  uploadOf?: string;
}

const pdfUpload = (bytes: Uint8Array, fileName = '来信扫描件.pdf') => ({ kind: 'letter', contentType: 'application/pdf', size: bytes.byteLength, fileName });

async function caseWithUpload(bytes: Uint8Array, over: Record<string, unknown> = {}) {
  const reg = await stack.api.post('/cases', registration({ petitioners: [{ name: '钱立新', phone: '13700003333' }], uploads: [pdfUpload(bytes)], ...over }), {
    token: t.clerk,
  });
  expect(reg.status, reg.text).toBe(201);
  return {
    caseNo: reg.json.case.caseNo as string,
    version: reg.json.case.version as number,
    documentId: reg.json.uploads[0].documentId as string,
    form: reg.json.uploads[0].upload,
  };
}

async function view(caseNo: string) {
  const c = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
  expect(c.status).toBe(200);
  return {
    documents: c.json.documents as Doc[],
    events: c.json.timeline as { type: string; data: Record<string, unknown> }[],
    version: c.json.version as number,
    status: c.json.status as string,
  };
}

async function download(caseNo: string, documentId: string): Promise<Uint8Array> {
  const link = await stack.api.get(`/cases/${caseNo}/documents/${documentId}/download`, { token: t.clerk });
  expect(link.status, link.text).toBe(200);
  const res = await fetch(link.json.url);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

async function exists(key: string): Promise<boolean> {
  try {
    await stack.clients.s3.send(new HeadObjectCommand({ Bucket: stack.bucketName, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** A Windows executable of exactly `size` bytes (the POST policy fixes the size). */
function exe(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x90);
  bytes.set([0x4d, 0x5a, 0x90, 0x00], 0);
  return bytes;
}

describe('a verified document', () => {
  it('cannot be replaced through its upload link: the re-upload is refused, deleted and shown as a rejected upload', async () => {
    // Prepare: a scan uploaded and verified.
    const pdf = await scannedPdf('Original scan');
    const { caseNo, documentId, form } = await caseWithUpload(pdf);
    expect((await uploadPresignedPost(form, pdf, { contentType: 'application/pdf' })).status).toBeLessThan(300);
    await stack.settled();
    const verified = (await view(caseNo)).documents.find((d) => d.documentId === documentId);
    expect(verified).toMatchObject({ status: 'verified', sha256: sha256(pdf) });

    // Act: the same presigned POST again, with an executable of the same size labelled PDF.
    const bad = exe(pdf.byteLength);
    expect((await uploadPresignedPost(form, bad, { contentType: 'application/pdf' })).status).toBeLessThan(300);
    await stack.settled();

    // Assess: the download returns the original bytes.
    expect(sha256(await download(caseNo, documentId))).toBe(sha256(pdf));
    const after = await view(caseNo);
    expect(after.documents.find((d) => d.documentId === documentId)).toMatchObject({ status: 'verified', sha256: sha256(pdf) });
    // The case shows the rejected upload with its reason, and the audit trail records it.
    const rejected = after.documents.filter((d) => d.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ uploadOf: documentId, sha256: sha256(bad) });
    expect(rejected[0]?.rejectionReason).toMatch(/再次使用/);
    const event = after.events.find((e) => e.type === 'document.upload-rejected');
    expect(event?.data).toMatchObject({ uploadOf: documentId, sha256: sha256(bad) });
    // The file is gone from the upload key; the verified copy is where no upload policy reaches.
    expect(await exists(uploadKey(caseNo, documentId))).toBe(false);
    expect(await exists(verifiedKey(caseNo, documentId))).toBe(true);
    expect(await verifyCaseAudit(new DynamoDbCaseRepository(documentClient(stack.clients.dynamodb), stack.tableName), caseNo)).toMatchObject({ ok: true });
    // Not downloadable.
    expect((await stack.api.get(`/cases/${caseNo}/documents/${rejected[0]?.documentId}/download`, { token: t.clerk })).status).toBe(404);
  });
});

describe('a re-upload whose object-created event was lost', () => {
  it('is found by the daily reconciliation, refused and shown as a rejected upload; the download never changes', async () => {
    // Prepare: a verified scan, then its link used again while events are lost.
    const pdf = await scannedPdf('Quiet original');
    const { caseNo, documentId, form } = await caseWithUpload(pdf, { petitioners: [{ name: '林语堂', phone: '13700009993' }] });
    await uploadPresignedPost(form, pdf, { contentType: 'application/pdf' });
    await stack.settled();
    const bad = exe(pdf.byteLength);
    loseEvents = true;
    try {
      expect((await uploadPresignedPost(form, bad, { contentType: 'application/pdf' })).status).toBeLessThan(300);
      await stack.settled();
    } finally {
      loseEvents = false;
    }
    const beforeRun = sha256(await download(caseNo, documentId));

    // Act
    const report = await stack.reconcileUploads();

    // Assess
    expect(beforeRun).toBe(sha256(pdf));
    expect(report.leftovers).toBeGreaterThanOrEqual(1);
    expect(sha256(await download(caseNo, documentId))).toBe(sha256(pdf));
    const rejected = (await view(caseNo)).documents.filter((d) => d.status === 'rejected' && d.uploadOf === documentId);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.sha256).toBe(sha256(bad));
    expect(await exists(uploadKey(caseNo, documentId))).toBe(false);
  });
});

describe('uploads follow the lifecycle', () => {
  it('issues no upload link for a declined case, and refuses a file sent through a link issued before', async () => {
    // Prepare: a case with an upload link, then declined before the file is sent.
    const pdf = await scannedPdf('Late scan');
    const { caseNo, documentId, form, version } = await caseWithUpload(pdf, { petitioners: [{ name: '孔繁华', phone: '13700004444' }] });
    const declined = await stack.api.post(
      `/cases/${caseNo}/decline`,
      { route: 'litigation', reason: '该事项已由人民法院受理' },
      { token: t.director, headers: ifMatch(version) },
    );
    expect(declined.status, declined.text).toBe(200);

    // Act
    const link = await stack.api.post(`/cases/${caseNo}/documents`, pdfUpload(pdf, '补充材料.pdf'), { token: t.clerk });
    expect((await uploadPresignedPost(form, pdf, { contentType: 'application/pdf' })).status).toBeLessThan(300);
    await stack.settled();

    // Assess: no new link; the late file is rejected, deleted, recorded, and not downloadable.
    expect(link.status).toBe(409);
    const after = await view(caseNo);
    expect(after.documents.find((d) => d.documentId === documentId)).toMatchObject({ status: 'rejected', sha256: sha256(pdf) });
    expect(after.documents.find((d) => d.documentId === documentId)?.rejectionReason).toMatch(/不予受理，不再接受上传/);
    expect(after.events.map((e) => e.type)).toContain('document.upload-rejected');
    expect(after.events.map((e) => e.type)).not.toContain('document.verified');
    expect(await exists(uploadKey(caseNo, documentId))).toBe(false);
    expect((await stack.api.get(`/cases/${caseNo}/documents/${documentId}/download`, { token: t.clerk })).status).toBe(404);
  });
});

describe('a lost object-created event', () => {
  it('is settled by the daily reconciliation: a file that arrived is verified, a link never used expires', async () => {
    // Prepare: two uploads; one file sent, both events lost.
    const pdf = await scannedPdf('Unnoticed scan');
    const reg = await stack.api.post(
      '/cases',
      registration({ petitioners: [{ name: '马秀兰', phone: '13700005555' }], uploads: [pdfUpload(pdf), pdfUpload(pdf, '附件.pdf')] }),
      { token: t.clerk },
    );
    expect(reg.status).toBe(201);
    const caseNo: string = reg.json.case.caseNo;
    const [sent, unused] = reg.json.uploads as { documentId: string; upload: { url: string; fields: Record<string, string> } }[];
    loseEvents = true;
    try {
      expect((await uploadPresignedPost(sent!.upload, pdf, { contentType: 'application/pdf' })).status).toBeLessThan(300);
      await stack.settled();
    } finally {
      loseEvents = false;
    }
    expect((await view(caseNo)).documents.filter((d) => d.status === 'pending')).toHaveLength(2);

    // Act: a run before the links expire leaves them alone; the next day's run settles them.
    const early = await stack.reconcileUploads();
    const pendingEarly = (await view(caseNo)).documents.filter((d) => d.status === 'pending').length;
    stack.clock.advanceDays(1);
    const report = await stack.reconcileUploads();

    // Assess
    expect(early.checked).toBe(0);
    expect(pendingEarly).toBe(2);
    expect(report).toMatchObject({ verified: 1, expired: 1, complete: true });
    const after = await view(caseNo);
    expect(after.documents.find((d) => d.documentId === sent!.documentId)).toMatchObject({ status: 'verified', sha256: sha256(pdf) });
    expect(after.documents.find((d) => d.documentId === unused!.documentId)).toMatchObject({ status: 'expired' });
    expect(after.events.map((e) => e.type)).toEqual(expect.arrayContaining(['document.verified', 'document.upload-expired']));
    expect(sha256(await download(caseNo, sent!.documentId))).toBe(sha256(pdf));
    // Nothing is left for the next run.
    expect((await stack.reconcileUploads()).checked).toBe(0);
  });

  it('keeps a closed case with a pending upload out of the archive until the upload is settled', async () => {
    // Prepare: a declined and closed case whose upload never came.
    const pdf = await scannedPdf('Never sent');
    const { caseNo, version } = await caseWithUpload(pdf, { petitioners: [{ name: '韩志刚', phone: '13700006666' }] });
    const declined = await stack.api.post(
      `/cases/${caseNo}/decline`,
      { route: 'litigation', reason: '该事项已由人民法院受理' },
      { token: t.director, headers: ifMatch(version) },
    );
    const closed = await stack.api.post(`/cases/${caseNo}/close`, {}, { token: t.clerk, headers: ifMatch(declined.json.version) });
    expect(closed.status, closed.text).toBe(200);

    // Act
    const refused = await stack.api.post('/archive/run', { caseNos: [caseNo] }, { token: t.archivist });
    stack.clock.advanceDays(1);
    await stack.reconcileUploads();
    const archived = await stack.api.post('/archive/run', { caseNos: [caseNo] }, { token: t.archivist });

    // Assess
    expect(refused.json.cases).toEqual([{ caseNo, outcome: 'pending-uploads', documents: 1 }]);
    expect(archived.json.cases[0]).toMatchObject({ caseNo, outcome: 'archived' });
  }, 60_000);
});

describe('the upload check and its audit event', () => {
  it('are one write: a crash before the event leaves the document pending, and the retry records both', async () => {
    // Prepare: a file at the upload key whose event was lost, and a registry whose DynamoDB
    // client dies on its first transaction (the audit append).
    const pdf = await scannedPdf('Crash scan');
    const { caseNo, documentId, form } = await caseWithUpload(pdf, { petitioners: [{ name: '邓丽君', phone: '13700007777' }] });
    loseEvents = true;
    try {
      await uploadPresignedPost(form, pdf, { contentType: 'application/pdf' });
      await stack.settled();
    } finally {
      loseEvents = false;
    }
    const db = documentClient(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));
    const send = db.send.bind(db) as (command: unknown) => Promise<unknown>;
    let crashes = 1;
    (db as unknown as { send: (command: unknown) => Promise<unknown> }).send = (command) => {
      if (command instanceof TransactWriteCommand && crashes-- > 0) return Promise.reject(new Error('the process died here'));
      return send(command);
    };
    const registry = new Registry({
      repo: new DynamoDbCaseRepository(db, stack.tableName),
      storage: new S3DocumentStorage(stack.clients.s3, stack.bucketName),
      clock: stack.clock,
      settings: parseOfficeSettings(undefined),
      clocks: { calendar: officeCalendar },
      piiKey: stack.env[ENV.piiHashKey] ?? '',
    });

    // Act
    await expect(registry.verifyUpload(caseNo, documentId)).rejects.toThrow(/died/);
    const afterCrash = await view(caseNo);
    const retried = await registry.verifyUpload(caseNo, documentId);

    // Assess: nothing half-written; the retry checks it once, with its event.
    expect(afterCrash.documents.find((d) => d.documentId === documentId)?.status).toBe('pending');
    expect(afterCrash.events.map((e) => e.type)).not.toContain('document.verified');
    expect(retried?.status).toBe('verified');
    const after = await view(caseNo);
    expect(after.events.filter((e) => e.type === 'document.verified')).toHaveLength(1);
  });
});

describe('a file put at an upload key by other means', () => {
  it('is refused like any second use when the document is settled', async () => {
    // Prepare: a verified scan.
    const pdf = await scannedPdf('Settled scan');
    const { caseNo, documentId, form } = await caseWithUpload(pdf, { petitioners: [{ name: '许文强', phone: '13700008888' }] });
    await uploadPresignedPost(form, pdf, { contentType: 'application/pdf' });
    await stack.settled();

    // Act: an object written straight to the upload key (an S3 event as for a POST).
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.bucketName, Key: uploadKey(caseNo, documentId), Body: exe(pdf.byteLength), ContentType: 'application/pdf' }),
    );
    await stack.settled();

    // Assess
    expect(sha256(await download(caseNo, documentId))).toBe(sha256(pdf));
    expect((await view(caseNo)).documents.filter((d) => d.status === 'rejected' && d.uploadOf === documentId)).toHaveLength(1);
  });
});

describe('a document verified before verified copies existed', () => {
  const repo = () => new DynamoDbCaseRepository(documentClient(stack.clients.dynamodb), stack.tableName);

  /** A verified scan whose record and file are put back as they were before this change: at the upload key, no copy. */
  async function legacyScan(text: string, name: string, phone: string) {
    const pdf = await scannedPdf(text);
    const { caseNo, documentId, form } = await caseWithUpload(pdf, { petitioners: [{ name, phone }] });
    await uploadPresignedPost(form, pdf, { contentType: 'application/pdf' });
    await stack.settled();
    const doc = await repo().getDocument(caseNo, documentId);
    expect(doc).toMatchObject({ status: 'verified', key: verifiedKey(caseNo, documentId) });
    loseEvents = true; // the file was there long before: no event for it now
    try {
      await stack.clients.s3.send(
        new PutObjectCommand({ Bucket: stack.bucketName, Key: uploadKey(caseNo, documentId), Body: pdf, ContentType: 'application/pdf' }),
      );
      await stack.settled();
    } finally {
      loseEvents = false;
    }
    await stack.clients.s3.send(new DeleteObjectCommand({ Bucket: stack.bucketName, Key: verifiedKey(caseNo, documentId) }));
    await documentClient(stack.clients.dynamodb).send(
      new PutCommand({ TableName: stack.tableName, Item: documentItem({ ...doc!, key: uploadKey(caseNo, documentId) }) }),
    );
    return { caseNo, documentId, pdf };
  }

  it('is moved to a verified copy by the reconciliation, checked against its recorded SHA-256, and served only from there', async () => {
    // Prepare
    const { caseNo, documentId, pdf } = await legacyScan('Legacy scan', '沈从文', '13700009991');
    const before = await stack.api.get(`/cases/${caseNo}/documents/${documentId}/download`, { token: t.clerk });

    // Act
    const report = await stack.reconcileUploads();
    const again = await stack.reconcileUploads();

    // Assess: never served from the upload key; then from the copy, with its event, once.
    expect(before.status).toBe(409);
    expect(report.leftovers).toBeGreaterThanOrEqual(1);
    expect(await repo().getDocument(caseNo, documentId)).toMatchObject({ status: 'verified', key: verifiedKey(caseNo, documentId), sha256: sha256(pdf) });
    expect(await exists(uploadKey(caseNo, documentId))).toBe(false);
    expect(sha256(await download(caseNo, documentId))).toBe(sha256(pdf));
    expect(again.leftovers).toBe(0);
    const events = (await view(caseNo)).events.filter((e) => e.type === 'document.copy-secured');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ documentId, sha256: sha256(pdf) });
    expect(await verifyCaseAudit(repo(), caseNo)).toMatchObject({ ok: true });
  });

  it('is quarantined, never served, when the file at its upload key was replaced after its check', async () => {
    // Prepare: the legacy scan, then its link used again with other bytes (the event lost).
    const { caseNo, documentId, pdf } = await legacyScan('Legacy scan replaced', '萧红', '13700009992');
    const bad = exe(pdf.byteLength);
    loseEvents = true;
    try {
      await stack.clients.s3.send(
        new PutObjectCommand({ Bucket: stack.bucketName, Key: uploadKey(caseNo, documentId), Body: bad, ContentType: 'application/pdf' }),
      );
      await stack.settled();
    } finally {
      loseEvents = false;
    }

    // Act
    await stack.reconcileUploads();

    // Assess
    const doc = await repo().getDocument(caseNo, documentId);
    expect(doc).toMatchObject({ status: 'quarantined', sha256: sha256(pdf) });
    expect(doc?.quarantineReason).toMatch(/校验后文件被替换/);
    expect(await exists(uploadKey(caseNo, documentId))).toBe(false);
    expect(await exists(verifiedKey(caseNo, documentId))).toBe(false);
    expect((await stack.api.get(`/cases/${caseNo}/documents/${documentId}/download`, { token: t.clerk })).status).toBe(404);
    const event = (await view(caseNo)).events.find((e) => e.type === 'document.quarantined');
    expect(event?.data).toMatchObject({ documentId, sha256: sha256(bad), verifiedSha256: sha256(pdf) });
  });
});
