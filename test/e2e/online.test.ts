/**
 * 网上信访 end to end (issue 17): a submission with its challenge, SMS code and attachment,
 * registered like a letter and found in the clerk's queue; the petitioner's SMS at acceptance;
 * each limit refusing with 429 and a message in Chinese (SMS codes per number, IP and ID number,
 * the daily cap, the query code's guessing per case and per IP); duplicates told only to the
 * same verified person; 催办 with its frequency limit. Each "client" has its own loopback address
 * (127.0.0.x), so the per-IP counters of one test do not leak into the next.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../shared/domain/online';
import { idNumberCheckChar } from '../../shared/domain/pii-validation';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { eventually, ifMatch, scannedPdf, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

const OFFICE = {
  online: {
    challengeMaxNumber: 20,
    smsCodePerNumber: { limit: 2, windowSeconds: 600 },
    smsCodePerIdNumber: { limit: 3, windowSeconds: 86_400 },
    smsCodePerIp: { limit: 4, windowSeconds: 3600 },
    submissionsPerNumberPerDay: 2,
    queryPerCase: { limit: 3, windowSeconds: 3600 },
    queryPerIp: { limit: 8, windowSeconds: 3600 },
    urgeIntervalDays: 7,
  },
};

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z', outboxPollMs: 0, env: { OFFICE_CONFIG: JSON.stringify(OFFICE) } });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

/** A valid resident ID number from its first 17 digits. */
const id = (first17: string) => first17 + idNumberCheckChar(first17);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A request from one client address (127.0.0.x): the gateway sees it as that client's IP. */
function from(ip: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const url = new URL(path, stack.baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method, localAddress: ip, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function solved(ip: string) {
  const c = await from(ip, 'GET', '/public/online/challenge');
  expect(c.status).toBe(200);
  return { algorithm: c.json.algorithm, challenge: c.json.challenge, salt: c.json.salt, signature: c.json.signature, number: solveChallenge(c.json) };
}

/** The newest SMS code sent to a number, read from the local outbox folder. */
function codeSentTo(phone: string): string {
  const dir = join(stack.outboxDir, 'sms');
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(`-${phone}.json`))
    .sort((a, b) => (a.split('/').at(-1) as string).localeCompare(b.split('/').at(-1) as string));
  const last = files.at(-1);
  if (!last) throw new Error(`no SMS to ${phone}`);
  const sms = JSON.parse(readFileSync(join(dir, last), 'utf8')) as { text: string };
  expect(sms.text.startsWith('【江川市信访局】')).toBe(true);
  return /验证码为(\d{6})/.exec(sms.text)?.[1] as string;
}

async function askCode(ip: string, phone: string, idNumber: string): Promise<Answer> {
  return from(ip, 'POST', '/public/online/sms-code', { phone, idNumber, challenge: await solved(ip) });
}

function submission(over: Record<string, unknown> = {}) {
  return {
    name: '刘海燕',
    idNumber: '11010519491231002X',
    phone: '13900001111',
    address: '江川区宁海街道建设路12号',
    issueLocality: '江川区宁海街道',
    category: 'labour',
    title: '请求协调解决拖欠工资问题',
    request: '请求督促某建筑公司支付拖欠的工资3.2万元。',
    facts: '本人2025年在某建筑公司工地务工，公司至今拖欠工资，多次讨要未果。',
    ...over,
  };
}

async function submit(ip: string, over: Record<string, unknown> = {}): Promise<Answer> {
  const s = submission(over);
  const code = await askCode(ip, s.phone, s.idNumber);
  expect(code.status, JSON.stringify(code.json)).toBe(200);
  return from(ip, 'POST', '/public/online/petitions', { ...s, smsCode: codeSentTo(s.phone) });
}

describe('网上信访: a submission', () => {
  let caseNo: string;
  let queryCode: string;
  let otherCaseNo: string;

  it('is registered with channel online, its attachment uploaded, the receipt downloadable, and sits in the clerk queue', async () => {
    const pdf = await scannedPdf('Attachment');
    const r = await submit('127.0.0.2', { attachments: [{ contentType: 'application/pdf', size: pdf.byteLength, fileName: '欠条.pdf' }] });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    ({ caseNo, queryCode } = r.json);
    expect(queryCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(r.json.receivedOn).toBe('2026-03-02');
    const up = await uploadPresignedPost(r.json.uploads[0].upload, pdf, { contentType: 'application/pdf', filename: '欠条.pdf' });
    expect(up.status).toBeLessThan(300);

    const queue = await stack.api.get('/cases?status=registered&channel=online', { token: t.clerk });
    expect(queue.json.items.map((c: { caseNo: string }) => c.caseNo)).toContain(caseNo);
    const c = await eventually(async () => {
      const got = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
      return got.json.documents.some((d: { kind: string; status: string }) => d.kind === 'attachment' && d.status === 'verified') ? got.json : undefined;
    }, 'the attachment verified');
    expect(c).toMatchObject({ status: 'registered', channel: { type: 'online' }, registeredBy: 'online', receivedOn: '2026-03-02' });
    expect(c.clocks.notify.startedOn).toBe('2026-03-02');
    expect(c.summary).toContain('问题属地：江川区宁海街道');

    const receipt = await from('127.0.0.2', 'POST', '/public/letters/download', { caseNo, queryCode, documentId: r.json.receiptDocumentId });
    expect(receipt.status, JSON.stringify(receipt.json)).toBe(200);
  });

  it('tells the same verified person it is already registered, with its number, and nobody else', async () => {
    const again = await submit('127.0.0.3');
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain(caseNo);

    // Someone else typing the same ID number and matter, from their own mobile: registered, told nothing.
    const other = await submit('127.0.0.3', { name: '王五', phone: '13900002222' });
    expect(other.status, JSON.stringify(other.json)).toBe(201);
    expect(JSON.stringify(other.json)).not.toContain(caseNo);
    otherCaseNo = other.json.caseNo;
  });

  it('sends the petitioner an SMS when the clerk accepts it, and the public page shows the new status', async () => {
    const c = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    const a = await stack.api.post(`/cases/${caseNo}/accept`, { warningsOverride: '已核实' }, { token: t.director, headers: ifMatch(c.json.version) });
    expect(a.status, a.text).toBe(200);
    await stack.drainOutbox();
    const files = readdirSync(stack.outboxDir, { recursive: true })
      .map(String)
      .filter((f) => f.includes(caseNo) && f.includes('petitioner'));
    expect(files).toHaveLength(1);
    const sms = JSON.parse(readFileSync(join(stack.outboxDir, files[0] as string), 'utf8'));
    expect(sms).toMatchObject({ recipient: { kind: 'petitioner', phone: '13900001111' }, to: ['13900001111'] });
    expect(sms.body).toMatch(new RegExp(`^【江川市信访局】.*${caseNo}.*已受理`));

    const view = await from('127.0.0.4', 'POST', '/public/query', { caseNo, queryCode });
    expect(view.json).toMatchObject({ status: 'accepted', statusLabel: '已受理' });
  });

  it('refuses a wrong or reused SMS code (400), and codes beyond the limits per number, ID number and IP (429)', async () => {
    const ip = '127.0.0.5';
    const who = { phone: '13900003333', idNumber: id('11010119900307451') };
    expect((await askCode(ip, who.phone, who.idNumber)).status).toBe(200);
    const bad = await from(ip, 'POST', '/public/online/petitions', { ...submission(who), smsCode: '000000' });
    expect(bad.status).toBe(400);

    // Per number: 2 per 10 minutes (the first above).
    expect((await askCode(ip, who.phone, who.idNumber)).status).toBe(200);
    const perNumber = await askCode(ip, who.phone, who.idNumber);
    expect(perNumber.status).toBe(429);
    expect(perNumber.json.error.message).toMatch(/该手机号码获取验证码过于频繁，请\d+分钟后再试/);
    expect(Number(perNumber.headers['retry-after'])).toBeGreaterThan(0);

    // Per ID number: 3 a day, whatever the mobile (the submissions above took 3 for this one).
    const ip2 = '127.0.0.6';
    const perId = await askCode(ip2, '13900004444', '11010519491231002X');
    expect(perId.status).toBe(429);
    expect(perId.json.error.message).toMatch(/该身份证号码获取验证码过于频繁/);

    // Per IP: 4 an hour from one address (1 above), whatever the number.
    for (const n of ['1', '2', '3']) expect((await askCode(ip2, `1390000555${n}`, id(`1101011990030700${n}`))).status).toBe(200);
    const perIp = await askCode(ip2, '13900006666', id('11010119900307009'));
    expect(perIp.status).toBe(429);
    expect(perIp.json.error.message).toMatch(/本网络获取验证码过于频繁/);

    // A solved challenge answers once.
    const once = await solved('127.0.0.7');
    const body = { phone: '13900007777', idNumber: id('11010119900307010'), challenge: once };
    expect((await from('127.0.0.7', 'POST', '/public/online/sms-code', body)).status).toBe(200);
    const replay = await from('127.0.0.7', 'POST', '/public/online/sms-code', body);
    expect(replay.status, JSON.stringify(replay.json)).toBe(400);
  });

  it('caps submissions per verified number and day (429)', async () => {
    const who = { name: '赵六', phone: '13900008888', idNumber: id('11010119900307005') };
    expect((await submit('127.0.0.8', { ...who, title: '反映小区噪音扰民问题' })).status).toBe(201);
    stack.clock.set('2026-03-02T01:11:00Z'); // the next 10-minute window of codes for this number
    expect((await submit('127.0.0.8', { ...who, title: '反映道路破损问题' })).status).toBe(201);
    stack.clock.set('2026-03-02T01:22:00Z');
    const third = await submit('127.0.0.8', { ...who, title: '反映路灯损坏问题' });
    expect(third.status).toBe(429);
    expect(third.json.error.message).toContain('同一手机号码每天最多提交2件信访事项');
  });

  it('limits query-code guessing per case and per IP, the same for a case that does not exist', async () => {
    const guess = (ip: string, no: string, code: string) => from(ip, 'POST', '/public/query', { caseNo: no, queryCode: code });
    const missing = 'XF-2026-999999';
    const real = [];
    const none = [];
    for (let i = 0; i < 4; i++) {
      real.push(await guess('127.0.0.9', otherCaseNo, `WRONG00${i}`));
      none.push(await guess('127.0.0.9', missing, `WRONG00${i}`));
    }
    expect(real.map((r) => r.status)).toEqual([404, 404, 404, 429]);
    // A case that does not exist answers exactly the same: nothing tells them apart.
    expect(none.map((r) => r.status)).toEqual(real.map((r) => r.status));
    expect(none.map((r) => r.json.error.message)).toEqual(real.map((r) => r.json.error.message));
    expect(real[3]?.json.error.message).toMatch(/该案件编号查询次数过多/);
    // Per IP: 8 an hour from one address, whichever cases.
    const ip = '127.0.0.10';
    const answers = [];
    for (let i = 1; i <= 9; i++) answers.push(await guess(ip, `XF-2026-90000${i}`, 'ABCDEFGH'));
    expect(answers.slice(0, 8).every((a) => a.status === 404)).toBe(true);
    expect(answers[8]?.status).toBe(429);
    expect(answers[8]?.json.error.message).toMatch(/查询过于频繁/);
  });
});

describe('催办', () => {
  it('is refused before a due date passes, recorded with notices once overdue, and at most once per 7 days', async () => {
    stack.clock.set('2026-03-02T02:00:00Z');
    const r = await submit('127.0.0.11', { name: '钱七', phone: '13900009999', idNumber: id('11010119900307007'), title: '请求解决供暖不足问题' });
    expect(r.status).toBe(201);
    const { caseNo, queryCode } = r.json;
    const urge = () => from('127.0.0.11', 'POST', '/public/urge', { caseNo, queryCode });

    const early = await urge();
    expect(early.status).toBe(409);

    stack.clock.set('2026-03-20T02:00:00Z'); // the 15-day notify clock is past its due date
    const before = await from('127.0.0.11', 'POST', '/public/query', { caseNo, queryCode });
    expect(before.json.canUrge).toBe(true);
    const first = await urge();
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ canUrge: false, lastUrgedOn: '2026-03-20' });

    const again = await urge();
    expect(again.status).toBe(429);
    expect(again.json.error.message).toContain('7日内只能催办一次');

    const timeline = await stack.api.get(`/cases/${caseNo}/timeline`, { token: t.clerk });
    expect(timeline.json.events.map((e: { type: string }) => e.type)).toContain('case.urged');
    const outbox = await stack.api.get('/outbox?date=2026-03-20', { token: t.director });
    expect(
      outbox.json.items
        .filter((n: { notice: { caseNo: string; recipient: { kind: string } } }) => n.notice.caseNo === caseNo)
        .map((n: { notice: { recipient: { kind: string } } }) => n.notice.recipient.kind),
    ).toEqual(expect.arrayContaining(['clerk', 'petitioner']));

    stack.clock.set('2026-03-27T02:00:01Z'); // 7 days on
    expect((await urge()).status).toBe(200);
  });
});
