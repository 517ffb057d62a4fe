/**
 * A sweep killed half-way loses nothing and repeats nothing. `npm run sweep` (scripts/sweep.ts)
 * runs in a child process against this file's local stack, as it runs against `npm start`; the
 * test SIGKILLs it as soon as it has reported half of its milestones — while other entries are in
 * flight, some with a 督办单 rendered and stored but not yet recorded — then runs it again to the
 * end, and a third time. Every notice, supervision, 督办单 record and audit event is there
 * exactly once, every audit chain verifies, and the outbox folder has one file per notice.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseAudit } from '../../shared/adapters/audit-verify';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

const CASES = 24;
const DAY = '2026-05-07';
const REPO_ROOT = new URL('../..', import.meta.url).pathname;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-04T02:00:00Z', outboxPollMs: 0 });
}, 60_000);
afterAll(() => stack?.stop());

interface ChildRun {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `npm run sweep -- --date <DAY> --progress` in a child process; killed after `killAfter` acted entries. */
function runSweep(killAfter?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sweep.ts', '--date', DAY, '--progress'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...stack.env, XF_DATA_DIR: stack.dataDirs.root, POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let acted = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line.startsWith('acted ')) acted += 1;
        if (killAfter !== undefined && acted >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`the sweep exited with ${code}:\n${stderr.slice(-3000)}\n${lines.join('\n')}`));
      else resolve({ lines, code, signal });
    });
  });
}

describe('a sweep killed half-way', () => {
  const caseNos: string[] = [];

  it('is completed by the next run, with every notice exactly once', async () => {
    const t = await tokens(stack);
    for (let i = 0; i < CASES; i++) {
      const reg = await stack.api.post('/cases', registration({ petitioners: [{ name: `测试${i}`, phone: `1390000${String(i).padStart(4, '0')}` }] }), {
        token: t.clerk,
        headers: { 'idempotency-key': `e2e-sweep-crash-${i}` },
      });
      expect(reg.status).toBe(201);
      const caseNo: string = reg.json.case.caseNo;
      const accepted = await stack.api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(1) });
      expect(accepted.status).toBe(200);
      const assigned = await stack.api.post(
        `/cases/${caseNo}/assign`,
        { deptCode: i % 2 === 0 ? 'HRSS' : 'HOUSING' },
        { token: t.director, headers: ifMatch(accepted.json.version) },
      );
      expect(assigned.json.clocks.handling.due).toBe('2026-05-06');
      caseNos.push(caseNo);
    }
    // On 05-07 each case has two entries: the department's date passed (overdue notice to the
    // department and the clerk), and the handling clock is overdue (supervision with a 督办单,
    // notices to the department and the director). The reminders before are superseded.
    const entries = CASES * 2;

    // Killed once past half its work: in the middle of the supervisions (督办单 being rendered).
    const killed = await runSweep(entries / 2 + 4);
    expect(killed.signal).toBe('SIGKILL');
    const actedBefore = killed.lines.filter((l) => l.startsWith('acted ')).length;
    expect(actedBefore).toBeGreaterThanOrEqual(entries / 2);
    expect(actedBefore).toBeLessThan(entries);

    const resumed = await runSweep();
    expect(resumed.code).toBe(0);
    const actedAfter = resumed.lines.filter((l) => l.startsWith('acted ')).length;
    // What the killed run committed without getting to report it is not acted on again.
    expect(actedBefore + actedAfter).toBeLessThanOrEqual(entries);
    expect(actedAfter).toBeGreaterThan(0);
    expect(resumed.lines.some((l) => l.includes('complete in'))).toBe(true);

    const third = await runSweep();
    expect(third.lines.filter((l) => l.startsWith('acted '))).toEqual([]);

    const db = documentClient(stack.clients.dynamodb);
    const repo = new DynamoDbCaseRepository(db, stack.tableName);
    const partition = async (caseNo: string, prefix: string) =>
      (
        await db.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: { ':pk': `CASE#${caseNo}`, ':p': prefix },
          }),
        )
      ).Items ?? [];
    const allNotices: string[] = [];
    for (const [i, caseNo] of caseNos.entries()) {
      const dept = i % 2 === 0 ? 'HRSS' : 'HOUSING';
      // The sweep's notices to the office (the petitioner's SMS of the acceptance is not the sweep's).
      const notices = (await partition(caseNo, 'NOTICE#'))
        .map((n) => String(n.noticeId))
        .filter((id) => !id.endsWith('#petitioner'))
        .sort();
      expect(notices).toEqual(
        [
          `${caseNo}#departmentDue#2026-04-24#overdue#clerk`,
          `${caseNo}#departmentDue#2026-04-24#overdue#dept-${dept}`,
          `${caseNo}#handling#2026-05-06#supervision#dept-${dept}`,
          `${caseNo}#handling#2026-05-06#supervision#director`,
        ].sort(),
      );
      allNotices.push(...notices);
      const supervisions = await partition(caseNo, 'SUP#');
      expect(supervisions).toHaveLength(1);
      expect(supervisions[0]?.supervision).toMatchObject({
        level: 'supervision',
        deptCode: dept,
        letters: [expect.objectContaining({ level: 'supervision' })],
      });
      const letters = (await repo.listDocuments(caseNo)).filter((d) => d.letterKind === 'supervision-notice');
      expect(letters).toHaveLength(1);
      expect(letters[0]?.documentId).toBe((supervisions[0]?.supervision as { letters: { documentId: string }[] }).letters[0]?.documentId);
      const events = await repo.listEvents(caseNo);
      expect(events.filter((e) => e.type === 'supervision.opened')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'sweep.overdue')).toHaveLength(1);
      expect(events.filter((e) => e.actor && 'system' in e.actor)).toHaveLength(2);
      expect(await verifyCaseAudit(repo, caseNo)).toEqual({ ok: true, count: events.length });
    }
    expect(allNotices).toHaveLength(CASES * 4);

    // The outbox folder: one file per notice (the resumed run delivered what the killed one left).
    const files = readdirSync(join(stack.dataDirs.root, 'outbox', DAY));
    expect(files.filter((f) => f.endsWith('.json')).sort()).toEqual(allNotices.map((id) => `${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`).sort());
  }, 180_000);
});
