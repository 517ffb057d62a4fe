/**
 * Archive benchmark (issue 5): one closed case with 200 MB of scanned letters (four 50 MB PDFs)
 * archived end to end — server-side copies, every archived byte re-read and hashed, the
 * registration form rendered, the case marked archived, the originals removed. The emulators
 * (DynamoDB Local in memory, s3rver in a temporary folder) run in this process; the archiving runs
 * in a child process (bench/archive-worker.ts), so its peak RSS is the archiving's own, not the
 * S3 server's. Figures: wall time of the run, peak RSS of the archiving process (target < 256 MB),
 * and the bytes it moved per second. No running stack needed.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createClients, ensureBuckets, ensureTable, startDynamoDbLocal, startS3Local } from '../local/emulators';
import { documentClient, DynamoDbCaseRepository } from '../shared/adapters/dynamodb-repository';
import { RegistrationSchema, type Case } from '../shared/domain/case';
import type { DocumentRecord } from '../shared/domain/documents';
import { verifiedKey } from '../shared/storage/object-keys';
import { ACTION_INPUTS, applyAction, type ActionContext } from '../shared/domain/lifecycle';
import { DEFAULT_DEPARTMENTS } from '../shared/domain/office';
import { newCase } from '../shared/domain/registration';
import { officeCalendar } from '../shared/domain/clocks';
import type { Actor } from '../shared/domain/roles';
import type { BenchResult } from './result';
import { parseInput } from '../shared/domain/validation';

const SCANS = 4;
const SCAN_BYTES = 50 * 1024 * 1024;
const PAGES_PER_SCAN = 40;
const TABLE = 'xf-bench-archive';
const DOCUMENTS = 'xf-bench-documents';
const ARCHIVE = 'xf-bench-archive';
const REGION = 'cn-north-1';

const clerk: Actor = { userId: 'u-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
const director: Actor = { userId: 'u-dir', username: 'director1', displayName: '李建国', roles: ['director'] };
const hrss: Actor = { userId: 'u-hrss', username: 'hrss1', displayName: '周强', roles: ['department'], deptCode: 'HRSS' };

/** A closed case (the real lifecycle, in memory). */
function closedCase(): Case {
  const { case: registered } = newCase(
    RegistrationSchema.parse({
      petitioners: [{ name: '张建华', idNumber: '11010519491231002X', phone: '13812345678' }],
      persons: 1,
      channel: { type: 'letter' },
      itemType: 'request-appeal',
      category: 'labour',
      subject: '请求协调解决拖欠工资问题',
      summary: '信访人反映某建筑公司拖欠其工资3.2万元，多次讨要未果。',
      receivedOn: '2026-03-02',
    }),
    {
      caseNo: 'XF-2026-000001',
      queryCodeHash: 'h',
      petitionerKeys: [],
      earlier: [],
      actor: clerk,
      now: new Date('2026-03-02T02:00:00Z'),
      clocks: { calendar: officeCalendar },
    },
  );
  const ctx = (actor: Actor, today: string): ActionContext => ({
    actor,
    now: new Date(`${today}T03:00:00Z`),
    today,
    clocks: { calendar: officeCalendar },
    departments: DEFAULT_DEPARTMENTS,
  });
  const opinion = {
    request: '请求支付拖欠工资',
    facts: '经调查属实。',
    decision: '责令足额支付。',
    outcome: 'support',
    legalBasis: '《保障农民工工资支付条例》第三条',
  };
  const steps: [Parameters<typeof applyAction>[1], Actor, string, unknown][] = [
    ['accept', director, '2026-03-04', {}],
    ['assign', director, '2026-03-04', { deptCode: 'HRSS' }],
    ['answer', hrss, '2026-03-20', opinion],
    ['approve-reply', director, '2026-03-21', {}],
    ['deliver', clerk, '2026-03-23', { deliveredOn: '2026-03-23' }],
    ['close', clerk, '2026-05-07', {}],
  ];
  return steps.reduce(
    (c, [action, actor, today, input]) => applyAction(c, action, parseInput(ACTION_INPUTS[action], input), ctx(actor, today)).next,
    registered,
  );
}

/** A scan-like PDF of `size` bytes: a page tree of PAGES_PER_SCAN pages and one large image stream. */
function scanPdf(size: number): { body: () => Readable; sha256: string; size: number } {
  const head = Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count ${PAGES_PER_SCAN} >> endobj\n3 0 obj << /Type /XObject /Subtype /Image /Length 0 >>\nstream\n`,
    'latin1',
  );
  const tail = Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const chunk = randomBytes(1024 * 1024);
  const data = size - head.length - tail.length;
  const hash = createHash('sha256').update(head);
  for (let left = data; left > 0; left -= chunk.length) hash.update(chunk.subarray(0, Math.min(chunk.length, left)));
  hash.update(tail);
  const body = () =>
    Readable.from(
      (function* () {
        yield head;
        for (let left = data; left > 0; left -= chunk.length) yield chunk.subarray(0, Math.min(chunk.length, left));
        yield tail;
      })(),
    );
  return { body, sha256: hash.digest('hex'), size };
}

function runWorker(env: Record<string, string>): Promise<{ wallMs: number; maxRssKb: number; baselineRssKb: number; outcome: string; bytes: number }> {
  const worker = fileURLToPath(new URL('./archive-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', worker], { env: { ...process.env, ...env }, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`archive worker failed: ${stderr || err.message}`));
      const line = stdout.trim().split('\n').at(-1) ?? '';
      resolve(JSON.parse(line) as { wallMs: number; maxRssKb: number; baselineRssKb: number; outcome: string; bytes: number });
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xf-bench-archive-'));
  const [dynamodb, s3Local] = await Promise.all([startDynamoDbLocal({ port: 0 }), startS3Local({ port: 0, directory: join(dir, 's3') })]);
  const clients = createClients({ dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3Local.endpoint, region: REGION });
  try {
    await Promise.all([ensureTable(clients.dynamodb, TABLE), ensureBuckets(clients.s3, [DOCUMENTS, ARCHIVE])]);
    const repo = new DynamoDbCaseRepository(documentClient(clients.dynamodb), TABLE);
    const c = closedCase();
    const documents: DocumentRecord[] = [];
    for (let i = 0; i < SCANS; i++) {
      const documentId = `scan-${i + 1}`;
      const pdf = scanPdf(SCAN_BYTES);
      // Where a verified upload lives (the upload check copies it there).
      const key = verifiedKey(c.caseNo, documentId);
      await clients.s3.send(new PutObjectCommand({ Bucket: DOCUMENTS, Key: key, Body: pdf.body(), ContentLength: pdf.size, ContentType: 'application/pdf' }));
      documents.push({
        caseNo: c.caseNo,
        documentId,
        kind: i === 0 ? 'letter' : 'attachment',
        toPetitioner: false,
        fileName: `来信扫描件-${i + 1}.pdf`,
        contentType: 'application/pdf',
        declaredSize: pdf.size,
        key,
        status: 'verified',
        size: pdf.size,
        sha256: pdf.sha256,
        uploadedBy: 'clerk1',
        createdAt: `2026-03-02T02:00:0${i}.000Z`,
      });
    }
    await repo.createCase({
      case: c,
      caseNumber: { prefix: 'XF', year: 2026, seq: 1 },
      event: { at: '2026-03-02T02:00:00.000Z', actor: { system: 'bench' }, type: 'case.closed', data: {} },
      documents,
    });

    const result = await runWorker({
      TABLE_NAME: TABLE,
      DOCUMENTS_BUCKET: DOCUMENTS,
      ARCHIVE_BUCKET: ARCHIVE,
      AWS_REGION: REGION,
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      S3_ENDPOINT: s3Local.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      XF_BENCH_CASE: c.caseNo,
      XF_BENCH_NOW: '2026-05-08T00:00:00Z',
    });
    if (result.outcome !== 'archived') throw new Error(`the benchmark case was not archived: ${result.outcome}`);
    const left = await clients.s3.send(new ListObjectsV2Command({ Bucket: DOCUMENTS, Prefix: verifiedKey(c.caseNo, '') }));
    if ((left.KeyCount ?? 0) !== 0) throw new Error('originals left in the working bucket');
    const mb = (SCANS * SCAN_BYTES) / (1024 * 1024);
    const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
    return [
      { name: `archive.${mb}MB-of-scans.wall`, value: round(result.wallMs, 0), unit: 'ms' },
      { name: `archive.${mb}MB-of-scans.peak-rss`, value: round(result.maxRssKb / 1024), unit: 'MB' },
      { name: `archive.${mb}MB-of-scans.rss-before-run`, value: round(result.baselineRssKb / 1024), unit: 'MB' },
      { name: `archive.${mb}MB-of-scans.package-bytes-per-second`, value: round(result.bytes / 1024 / 1024 / (result.wallMs / 1000)), unit: 'MB/s' },
    ];
  } finally {
    clients.destroy();
    await Promise.allSettled([s3Local.stop(), dynamodb.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
