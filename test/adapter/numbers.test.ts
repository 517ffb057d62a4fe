/**
 * Case numbers and document numbers (文号) are gapless: a number is consumed only by the
 * transaction that stores what carries it (the case, the letter's record). Against DynamoDB Local
 * (the run's shared instance, a table of this file's own), through the registry's use cases with
 * the real letter issuer: racers on one transition, letters of many cases at once, registrations
 * that fail or die after being numbered, registrations at once.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { CaseLetterIssuer, documentNumberSeries } from '../../shared/app/letters';
import type { DocumentStorage } from '../../shared/app/ports';
import { Registry } from '../../shared/app/registry';
import { officeCalendar } from '../../shared/domain/clocks';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { parseCaseNumber } from '../../shared/domain/numbers';
import { parseOfficeSettings } from '../../shared/domain/office';
import { FakeClock } from '../../shared/domain/time';
import { loadLetterFonts } from '../../shared/letters/fonts';
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { clerk, director, registration, type draft } from '../unit/lifecycle/fixtures';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-numbers');
const clock = new FakeClock('2026-03-04T02:00:00Z');
const settings = parseOfficeSettings(undefined);
const stored = new Map<string, Uint8Array>();
let repo: DynamoDbCaseRepository;
let registry: Registry;
/** Makes the next createCase die before its transaction (a crashed function). */
let crashNextCreate = false;
/** The transactions sent: registrations and transitions (each a write DynamoDB Local does). */
const sent = { createCase: 0, saveTransition: 0 };

const storage: DocumentStorage = {
  presignUpload: () => Promise.reject(new Error('not in this test')),
  presignDownload: () => Promise.reject(new Error('not in this test')),
  inspect: () => Promise.resolve(null),
  quarantine: () => Promise.reject(new Error('not in this test')),
  copy: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.reject(new Error('not in this test')),
  list: () => Promise.reject(new Error('not in this test')),
  put: async (key, bytes) => {
    stored.set(key, bytes);
  },
};

const acceptanceSeries = () => documentNumberSeries(settings.letters.documentNumberPatterns['acceptance-notice'] ?? '', settings.letters.shortName, 2026);
const seqOf = (caseNo: string) => parseCaseNumber(caseNo)?.seq ?? 0;

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  repo = new DynamoDbCaseRepository(documentClient(client), tableName);
  const createCase = repo.createCase.bind(repo);
  const saveTransition = repo.saveTransition.bind(repo);
  repo.saveTransition = (...args) => {
    sent.saveTransition += 1;
    return saveTransition(...args);
  };
  repo.createCase = (input) => {
    if (!crashNextCreate) {
      sent.createCase += 1;
      return createCase(input);
    }
    crashNextCreate = false;
    return Promise.reject(new Error('simulated crash before the registration transaction'));
  };
  const fonts = loadLetterFonts();
  const letters = new CaseLetterIssuer({ repo, templates: repo, storage, office: settings.letters, clock, fonts: () => fonts });
  registry = new Registry({ repo, storage, clock, settings, clocks: { calendar: officeCalendar }, piiKey: 'test-key-for-numbers', letters });
}, 60_000);

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
});

let serial = 0;
async function register(over: Parameters<typeof draft>[0] = {}): Promise<string> {
  serial += 1;
  const r = await registry.register(
    clerk,
    registration({ petitioners: [{ name: `测试${serial}`, phone: `1390000${String(serial).padStart(4, '0')}` }], ...over }),
  );
  return r.case.caseNo;
}

async function acceptanceNo(caseNo: string): Promise<string | undefined> {
  return (await repo.listDocuments(caseNo)).find((d) => d.letterKind === 'acceptance-notice')?.documentNo;
}

describe('document numbers (文号)', () => {
  it('consume exactly one number when 20 racers take the same transition: one wins, the rest get 409', async () => {
    // Prepare
    const caseNo = await register();
    const before = await repo.lastDocumentNumber(acceptanceSeries());
    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => registry.act(director, caseNo, 'accept', {}, 1)));
    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(19);
    expect(refused.every((e) => e instanceof ConflictError)).toBe(true);
    expect(await repo.lastDocumentNumber(acceptanceSeries())).toBe(before + 1);
    expect(await acceptanceNo(caseNo)).toBe(acceptanceSeries().replace('{seq}', String(before + 1)));
    // The next letter of the series takes the next number.
    const next = await register();
    await registry.act(director, next, 'accept', {}, 1);
    expect(await acceptanceNo(next)).toBe(acceptanceSeries().replace('{seq}', String(before + 2)));
  }, 120_000);

  it('are issued without a gap or a repeat when letters of one series are issued on many cases at once', async () => {
    // Prepare
    const caseNos: string[] = [];
    for (let i = 0; i < 8; i++) caseNos.push(await register());
    const before = await repo.lastDocumentNumber(acceptanceSeries());
    const transactions = sent.saveTransition;
    // Act: in one process the numbers are handed out in turn (shared/app/number-turns.ts).
    await Promise.all(caseNos.map((no) => registry.act(director, no, 'accept', {}, 1)));
    // Assess
    const numbers = await Promise.all(caseNos.map(acceptanceNo));
    const expected = Array.from({ length: 8 }, (_, i) => acceptanceSeries().replace('{seq}', String(before + 1 + i)));
    expect([...numbers].sort()).toEqual([...expected].sort());
    expect(await repo.lastDocumentNumber(acceptanceSeries())).toBe(before + 8);
    // Each letter rendered, stored and sent once: none lost its number to another of the process.
    expect(sent.saveTransition - transactions).toBe(8);
  }, 180_000);
});

describe('case numbers', () => {
  it('leave no gap when a registration is refused (a name its receipt could not print)', async () => {
    // Prepare
    const last = seqOf(await register());
    // Act: the receipt prints the petitioner's name, and the font has no glyph for this one.
    // (The registration schema refuses such a name at the route; past it, the receipt refuses it after numbering.)
    const failed = registry.register(clerk, { ...registration(), petitioners: [{ name: '张🀄', phone: '13900009999' }] });
    // Assess
    await expect(failed).rejects.toBeInstanceOf(ValidationError);
    expect(seqOf(await register())).toBe(last + 1);
  }, 60_000);

  it('leave no gap when the registration dies before its transaction', async () => {
    // Prepare
    const last = seqOf(await register());
    crashNextCreate = true;
    // Act
    await expect(register()).rejects.toThrow('simulated crash');
    // Assess
    expect(seqOf(await register())).toBe(last + 1);
    expect(await repo.lastCaseNumber(settings.caseNumberPrefix, 2026)).toBe(last + 1);
  }, 60_000);

  it('are consecutive, each taken once, when 12 registrations are made at once', async () => {
    // Prepare
    const last = await repo.lastCaseNumber(settings.caseNumberPrefix, 2026);
    const transactions = sent.createCase;
    // Act
    const caseNos = await Promise.all(Array.from({ length: 12 }, () => register()));
    // Assess
    expect(caseNos.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => last + 1 + i));
    expect(await repo.lastCaseNumber(settings.caseNumberPrefix, 2026)).toBe(last + 12);
    // Each registration numbered, its receipt rendered and its transaction sent once (in turn, in one process).
    expect(sent.createCase - transactions).toBe(12);
  }, 180_000);

  it('are consecutive when a registration in the middle of a burst is refused after numbering', async () => {
    // Prepare
    const last = await repo.lastCaseNumber(settings.caseNumberPrefix, 2026);
    // Act: the refused one gives its number up; those after it in the process number again.
    const results = await Promise.allSettled([
      register(),
      register(),
      registry.register(clerk, { ...registration(), petitioners: [{ name: '李🀄', phone: '13900009998' }] }).then((r) => r.case.caseNo),
      register(),
      register(),
    ]);
    // Assess
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const caseNos = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(caseNos.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 4 }, (_, i) => last + 1 + i));
    expect(await repo.lastCaseNumber(settings.caseNumberPrefix, 2026)).toBe(last + 4);
  }, 180_000);
});
