/**
 * The table model (shared/storage): every partition and sort key, of the table and of each
 * index, is composed in keys.ts, archive-keys.ts and sweep-keys.ts; the adapters only assemble
 * items and queries from them. The formats are pinned: stored items and page cursors keep them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveSummary } from '../../../shared/domain/archive';
import type { Case } from '../../../shared/domain/case';
import { archiveJobIndexKeys, archiveKey, archiveSearchEntries } from '../../../shared/storage/archive-keys';
import { casePartition, dueShard, indexKeys, key, through } from '../../../shared/storage/keys';
import { sweepKey } from '../../../shared/storage/sweep-keys';
import { newTestCase } from '../../support/contracts/builders';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

const offending = (files: string[], pattern: RegExp): string[] =>
  files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
  );

describe('the table model', () => {
  it('writes the case partition in one place', () => {
    const files = sources(path.join(ROOT, 'shared')).filter((f) => !f.endsWith(path.join('storage', 'keys.ts')));
    expect(offending(files, /`CASE#\$\{/)).toEqual([]);
  });

  it('composes no partition or sort key inside the adapters', () => {
    const adapters = sources(path.join(ROOT, 'shared', 'adapters'));
    // An index key attribute set from a template literal, or a range bound spelt out.
    expect(offending(adapters, /\bby[A-Z]\w*(Pk|Sk)\s*[:=]\s*`/)).toEqual([]);
    expect(offending(adapters, /#~/)).toEqual([]);
    expect(offending(adapters, /\b(pk|sk)\s*:\s*`/)).toEqual([]);
  });

  it('writes a case with a new version in one place', () => {
    // versionedCaseWrite (dynamodb-repository.ts) is the only write of an existing case item: the
    // registry's transitions, the archive's commit and the deadline sweep's milestones go through it,
    // so each keeps the sweep entries, the report fact and the parts the way the others do.
    const adapters = sources(path.join(ROOT, 'shared', 'adapters'));
    // The dashboard backfill checks (a ConditionCheck, no write) that the case it counted did not move.
    expect(offending(adapters, /version = :v AND auditSeq = :seq/)).toEqual([
      expect.stringMatching(/^shared\/adapters\/dynamodb-repository\.ts:\d+: ConditionExpression: 'version = :v AND auditSeq = :seq',$/),
      expect.stringMatching(/^shared\/adapters\/report-backfill-store\.ts:\d+: ConditionExpression: 'version = :v AND auditSeq = :seq',$/),
    ]);
    const elsewhere = adapters.filter((f) => !/(dynamodb-repository|sweep-index)\.ts$/.test(f));
    expect(offending(elsewhere, /(^|[^.\w])(caseItem|clockItems)\(/)).toEqual([]);
  });

  it('keeps the stored key formats', () => {
    const c: Case = { ...newTestCase('XF', 7), deptCode: 'HRSS', status: 'assigned' };
    const no = c.caseNo;
    expect(casePartition(no)).toBe(`CASE#${no}`);
    expect(key.case(no)).toEqual({ pk: `CASE#${no}`, sk: '#CASE' });
    expect(key.caseReturn(no, 3)).toEqual({ pk: `CASE#${no}`, sk: '#CASE#RETURN#000003' });
    expect(key.audit(no, 12)).toEqual({ pk: `CASE#${no}`, sk: 'AUDIT#00000012' });
    expect(key.awaiting('answer', no)).toEqual({ pk: 'AWAITING#answer', sk: `CASE#${no}` });
    expect(archiveKey.job(no)).toEqual({ pk: `CASE#${no}`, sk: '#ARCHIVE' });
    expect(sweepKey.supervision(no, 'handling', '2026-05-01')).toEqual({ pk: `CASE#${no}`, sk: 'SUP#handling#2026-05-01' });
    expect(through('2026-05')).toBe('2026-05#~');

    const notifyDue = c.clocks.notify?.due as string;
    expect(indexKeys.case(c)).toEqual({
      byStatusPk: 'STATUS#assigned',
      byStatusSk: `${notifyDue}#${no}`,
      byReceivedPk: `RCV#${c.receivedOn.slice(0, 7)}`,
      byReceivedSk: `${c.receivedOn}#${no}`,
      byCategoryPk: `CAT#${c.category}#${c.receivedOn.slice(0, 4)}`,
      byCategorySk: `${c.receivedOn}#${no}`,
      byDepartmentPk: 'DEPT#HRSS#OPEN',
      byDepartmentSk: `9999-12-31#${no}`,
    });
    expect(indexKeys.clock(no, 'notify', { status: 'running', due: '2026-03-17' })).toEqual({
      byDuePk: `DUE#${dueShard(no)}`,
      byDueSk: `2026-03-17#${no}#notify`,
    });
    expect(indexKeys.clock(no, 'notify', { status: 'paused', due: '2026-03-17' })).toEqual({
      byDuePk: `PAUSED#${dueShard(no)}`,
      byDueSk: `2026-03-17#${no}#notify`,
    });
    expect(indexKeys.clock(no, 'notify', { status: 'stopped', due: '2026-03-17' })).toEqual({});
    expect(indexKeys.petitioner(no, 'id:abc', '2026-03-02')).toEqual({ byPetitionerPk: 'PID#id:abc', byPetitionerSk: `2026-03-02#${no}` });
    expect(indexKeys.departmentHistory(no, 'HRSS', '2026-03-02')).toEqual({ byDepartmentPk: 'DEPT#HRSS#ALL', byDepartmentSk: `2026-03-02#${no}` });

    const summary = {
      archiveNo: 'F1-2026-D10-0001',
      year: 2026,
      category: 'labour',
      retention: '10y',
      departments: ['HRSS'],
      retentionEnds: '2037-01-01',
    } as ArchiveSummary;
    expect(archiveSearchEntries(summary)).toEqual([
      { entry: 'NO', pk: 'ARCHIVE#NO#F1-2026-D10-0001', sk: 'F1-2026-D10-0001' },
      { entry: 'ALL', pk: 'ARCHIVE#ALL', sk: '2026#F1-2026-D10-0001' },
      { entry: 'CAT', pk: 'ARCHIVE#CAT#labour', sk: '2026#F1-2026-D10-0001' },
      { entry: 'RET', pk: 'ARCHIVE#RET#10y', sk: '2026#F1-2026-D10-0001' },
      { entry: 'DEPT#HRSS', pk: 'ARCHIVE#DEPT#HRSS', sk: '2026#F1-2026-D10-0001' },
      { entry: 'DISPOSAL', pk: 'ARCHIVE#DISPOSAL', sk: '2037-01-01#F1-2026-D10-0001' },
    ]);
    expect(
      archiveJobIndexKeys({ caseNo: no, archiveNo: 'A-1', state: 'disposed', disposal: { state: 'destroyed', destroyedAt: '2037-01-04T02:00:00.000Z' } }),
    ).toEqual({ byArchivePk: 'ARCHIVE#DISPOSED', byArchiveSk: '2037-01-04#A-1' });
    expect(archiveJobIndexKeys({ caseNo: no, archiveNo: 'A-1', state: 'allocated' })).toEqual({});
  });
});
