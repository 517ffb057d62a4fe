/**
 * The case item is bounded by design: the full text and the history of returns are items of their
 * own, so a case whose every field is at its maximum and that goes through 100 return / answer
 * cycles keeps its item under CASE_ITEM_BOUND (DynamoDB refuses items over 400 KB, and before
 * the parts moved out such a case got stuck at cycle 33), `approve-reply` still works, and every
 * read that shows the full text and the history (the case, the timeline, the handling opinion)
 * still shows it. Against DynamoDB Local through the registry's use cases.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { CaseLetterIssuer } from '../../shared/app/letters';
import type { DocumentStorage } from '../../shared/app/ports';
import { Registry } from '../../shared/app/registry';
import { officeCalendar } from '../../shared/domain/clocks';
import { MAX_PAUSES_PER_CASE } from '../../shared/domain/lifecycle';
import { parseOfficeSettings } from '../../shared/domain/office';
import { FakeClock } from '../../shared/domain/time';
import { loadLetterFonts } from '../../shared/letters/fonts';
import { key } from '../../shared/storage/keys';
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { clerk, director, hrss } from '../unit/lifecycle/fixtures';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';
import { parseActionBody } from '../../shared/app/action-body';
import { parseInput } from '../../shared/domain/validation';
import { RegistrationSchema } from '../../shared/domain/case';

/** What the case item may weigh at most, whatever the case went through (docs/architecture.md). */
const CASE_ITEM_BOUND = 300 * 1024;
const CYCLES = 100;

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-case-size');
const clock = new FakeClock('2026-03-04T02:00:00Z');
const settings = parseOfficeSettings(undefined);
let repo: DynamoDbCaseRepository;
let registry: Registry;

const storage: DocumentStorage = {
  presignUpload: () => Promise.reject(new Error('not in this test')),
  presignDownload: () => Promise.reject(new Error('not in this test')),
  inspect: () => Promise.resolve(null),
  quarantine: () => Promise.reject(new Error('not in this test')),
  copy: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.reject(new Error('not in this test')),
  list: () => Promise.reject(new Error('not in this test')),
  put: () => Promise.resolve(),
};

/** `n` characters of Chinese text (3 bytes each in UTF-8, as real texts are). */
const han = (n: number, seed = '信访事项处理情况说明') => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);

/** The size DynamoDB counts for an item (attribute names and values, UTF-8; lists and maps 3 bytes each). */
function itemSize(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemSize(v), 0);
  if (typeof value === 'object')
    return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + itemSize(v), 0);
  return 0;
}

async function caseItemSize(caseNo: string): Promise<number> {
  const out = await documentClient(client).send(new GetCommand({ TableName: tableName, Key: key.case(caseNo), ConsistentRead: true }));
  const { ...attributes } = out.Item ?? {};
  return itemSize(attributes) - 3;
}

/** The department's answer with every element at the length the handling opinion allows. */
const answer = (i: number) => ({
  request: han(2000, `请求第${i}次：依法支付拖欠的工资并赔偿损失。`),
  facts: han(8000, `经调查核实第${i}轮：该公司确有拖欠工资情况，已责令整改。`),
  decision: han(4000, '责令该公司于十五日内足额支付拖欠工资。'),
  outcome: 'support',
  legalBasis: `《保障农民工工资支付条例》第三条、第十五条`,
  note: han(5000, '内部备注：已与用人单位约谈。'),
});

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  repo = new DynamoDbCaseRepository(documentClient(client), tableName);
  const fonts = loadLetterFonts();
  const letters = new CaseLetterIssuer({ repo, templates: repo, storage, office: settings.letters, clock, fonts: () => fonts });
  registry = new Registry({ repo, storage, clock, settings, clocks: { calendar: officeCalendar }, piiKey: 'test-key-for-case-size', letters });
}, 60_000);

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
});

describe('a case at every field’s maximum through 100 return / answer cycles', () => {
  it('keeps its item under the bound, can still be approved, and shows its full text and whole history', async () => {
    // Prepare: a registration with every field at its maximum.
    const fullText = han(50_000, '本人于二〇二五年在某建筑公司务工，公司至今拖欠工资。');
    const reg = await registry.register(
      clerk,
      parseInput(RegistrationSchema, {
        // (The first name is shorter: the letters' salutation, `<name>等100000人`, has at most 40 characters.)
        petitioners: Array.from({ length: 30 }, (_, i) => ({
          name: han(i === 0 ? 30 : 50, '张建华'),
          idNumber: '11010519491231002X',
          phone: '13812345678',
          address: han(200, '江川市城南区建设路'),
        })),
        persons: 100_000,
        representatives: Array.from({ length: 5 }, () => han(50, '李秀英')),
        channel: { type: 'referral', fromOrgan: han(100, '江川市人民政府信访局'), reference: han(100, '江信转') },
        itemType: 'request-appeal',
        category: 'labour',
        accusedUnits: Array.from({ length: 20 }, () => ({ name: han(100, '某建筑工程有限公司') })),
        subject: han(100, '请求协调解决拖欠工资问题'),
        summary: han(2000, '信访人反映某建筑公司拖欠其工资。'),
        fullText,
        receivedOn: '2026-03-02',
      }),
    );
    const caseNo = reg.case.caseNo;
    let version = reg.case.version;
    const act = async (actor: typeof clerk, action: Parameters<Registry['act']>[2], input: unknown) => {
      version = (await registry.act(actor, caseNo, action, parseActionBody(action, input), version)).version;
    };
    await act(director, 'accept', { reason: han(2000, '符合受理条件') });
    await act(director, 'assign', { deptCode: 'HRSS', note: han(2000, '请认真办理') });
    await act(hrss, 'request-extension', { days: 10, reason: han(2000, '需要进一步调查') });
    for (let i = 0; i < MAX_PAUSES_PER_CASE; i++) {
      await act(director, 'pause-clock', { clock: 'handling', reason: han(2000, '等待信访人补充材料') });
      await act(director, 'resume-clock', { clock: 'handling' });
    }
    await expect(registry.act(director, caseNo, 'pause-clock', { clock: 'handling', reason: '再次中止' }, version)).rejects.toThrow(/at most/);

    // Act: 100 answers, each returned for rework with the longest comment.
    const sizes: number[] = [];
    for (let i = 1; i <= CYCLES; i++) {
      await act(hrss, 'answer', answer(i));
      await act(director, 'return', { comment: han(2000, `第${i}次退回：事实部分需补充。`) });
      sizes.push(await caseItemSize(caseNo));
    }
    await act(hrss, 'answer', answer(CYCLES + 1));
    const approved = await registry.act(director, caseNo, 'approve-reply', {}, version);

    // Assess: the item stays bounded (and does not grow with the cycles), approval works.
    expect(Math.max(...sizes)).toBeLessThan(CASE_ITEM_BOUND);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(4096);
    expect(approved.status).toBe('replied');
    expect(await caseItemSize(caseNo)).toBeLessThan(CASE_ITEM_BOUND);
    // Every read that shows the full text and the history still shows it.
    const view = await registry.getCase(director, caseNo);
    expect(view.fullText).toBe(fullText);
    expect(view.returns).toHaveLength(CYCLES);
    expect(view.returns.map((r) => r.comment.slice(0, 8))).toEqual(Array.from({ length: CYCLES }, (_, i) => `第${i + 1}次退回：事实`.slice(0, 8)));
    expect(view.reply?.facts).toBe(answer(CYCLES + 1).facts);
    const timeline = await registry.timeline(director, caseNo);
    expect(timeline.filter((e) => e.type === 'case.returned')).toHaveLength(CYCLES);
    const opinion = view.documents.find((d) => d.letterKind === 'handling-opinion');
    expect(opinion).toMatchObject({ status: 'verified' });
    const stored = await repo.getCase(caseNo);
    expect(stored?.fullText).toBe(fullText);
    expect(stored?.returns).toHaveLength(CYCLES);
  }, 900_000);
});
