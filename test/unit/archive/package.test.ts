import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  archivableDocuments,
  archiveSummary,
  archiveTransition,
  buildMetadata,
  buildRegistrationForm,
  documentTitle,
  ManifestSchema,
  manifestBytes,
  MANIFEST_FORMAT,
  originalPath,
  packageTotals,
  type ArchiveIdentity,
  type ArchiveLabels,
  type CaseArchiveInfo,
  type Manifest,
  type ManifestFile,
} from '../../../shared/domain/archive';
import { packagePrefix } from '../../../shared/storage/object-keys';
import { chainEvent, type AuditEvent } from '../../../shared/domain/audit';
import { closedCase, declinedAndClosed, DOCUMENTS } from './fixtures';

const labels: ArchiveLabels = {
  organName: '江川市信访局',
  categoryName: (c) => (c === 'labour' ? '劳动和社会保障（含劳资纠纷）' : c),
  departmentName: (d) => (d === 'HRSS' ? '人力资源和社会保障局' : d),
};
const id: ArchiveIdentity = {
  archiveNo: 'X001-2026-D30-0007',
  fonds: 'X001',
  year: 2026,
  item: 7,
  decision: { retention: '30y', reason: '一般信访事项的办理材料', source: 'rule:4' },
  retentionEnds: '2057-01-01',
};
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function file(path: string, over: Partial<ManifestFile> = {}): ManifestFile {
  return { path, role: 'original', size: 10, sha256: sha(path), contentType: 'application/pdf', title: path, date: '2026-03-02', ...over };
}

function manifest(files: ManifestFile[]): Manifest {
  return {
    format: MANIFEST_FORMAT,
    archiveNo: id.archiveNo,
    caseNo: 'XF-2026-000001',
    fonds: 'X001',
    year: 2026,
    retention: '30y',
    retentionEnds: '2057-01-01',
    createdAt: '2026-05-08T00:00:00.000Z',
    auditHead: { seq: 9, hash: sha('head') },
    files,
  };
}

describe('the package', () => {
  it('takes the documents that passed the upload check or were generated, oldest first', () => {
    expect(archivableDocuments([...DOCUMENTS].reverse()).map((d) => d.documentId)).toEqual(['d-letter', 'd-receipt', 'd-notice', 'd-photo']);
  });

  it('puts each original at a key of its own choosing, never a file name', () => {
    expect(packagePrefix(id.archiveNo)).toBe('packages/X001-2026-D30-0007/');
    expect(originalPath(0, { documentId: 'd-letter', contentType: 'application/pdf' })).toBe('originals/001-d-letter.pdf');
    expect(originalPath(11, { documentId: 'd-photo', contentType: 'image/png' })).toBe('originals/012-d-photo.png');
  });

  it('titles each document as the contents list shows it', () => {
    expect(DOCUMENTS.slice(0, 4).map(documentTitle)).toEqual([
      '来信扫描件：来信扫描件.pdf',
      '受理凭证',
      '受理告知书（江信受〔2026〕3号）',
      '承办材料：现场照片.png',
    ]);
  });

  it('has a manifest whose bytes (and hash) do not depend on key order', () => {
    const m = manifest([file('originals/001-a.pdf'), file('metadata.json', { role: 'metadata', contentType: 'application/json' })]);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const shuffled = reverseKeys(m) as Manifest;
    expect(Object.keys(shuffled)[0]).toBe('files');
    const bytes = manifestBytes(m);
    expect(sha(new TextDecoder().decode(bytes))).toBe(sha(new TextDecoder().decode(manifestBytes(shuffled))));
    expect(ManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes)))).toEqual(m);
    expect(() => manifestBytes({ ...m, files: [file('x', { sha256: 'nothex' })] })).toThrow();
  });

  it('adds up files, bytes and pages, and says when a page count is unknown', () => {
    expect(packageTotals([file('a', { pages: 2 }), file('b', { pages: 3, size: 5 }), file('m', { role: 'metadata' })])).toEqual({
      files: 3,
      bytes: 25,
      originals: 2,
      pages: 5,
    });
    expect(packageTotals([file('a', { pages: 2 }), file('b')]).pages).toBeUndefined();
  });
});

describe('metadata.json', () => {
  it('holds the case, its clocks with derivations, documents, other records and the audit chain, but no query-code or identity hashes', () => {
    const c = closedCase();
    const e1 = chainEvent(null, { caseNo: c.caseNo, at: '2026-03-02T02:00:00.000Z', actor: { system: 't' }, type: 'case.registered', data: {} });
    const events: AuditEvent[] = [
      e1,
      chainEvent(e1, { caseNo: c.caseNo, at: '2026-05-07T03:00:00.000Z', actor: { system: 't' }, type: 'case.closed', data: {} }),
    ];
    const m = buildMetadata({
      id,
      case: { ...c, auditSeq: 2, auditHead: events[1]?.hash ?? '' },
      events,
      documents: DOCUMENTS,
      records: [
        { entity: 'supervision', sk: 'SUP#x', level: 'flagged' },
        { entity: 'notice', sk: 'NOTICE#y' },
      ],
      paths: new Map([['d-letter', 'originals/001-d-letter.pdf']]),
      labels,
      generatedAt: '2026-05-08T00:00:00.000Z',
    });
    expect(m).toMatchObject({
      archiveNo: id.archiveNo,
      retention: { class: '30y', label: '30年', ends: '2057-01-01' },
      labels: { category: '劳动和社会保障（含劳资纠纷）', outcome: '予以支持' },
    });
    const record = m.case as Record<string, unknown>;
    expect(record.caseNo).toBe(c.caseNo);
    for (const secret of ['queryCodeHash', 'petitionerKeys', 'auditHead', 'auditSeq']) expect(record[secret]).toBeUndefined();
    expect((m.clocks as Record<string, { due: string; derivation: { due: string } }>).handling?.derivation.due).toBe(c.clocks.handling?.due);
    expect(m.supervision).toEqual([{ entity: 'supervision', sk: 'SUP#x', level: 'flagged' }]);
    expect(m.otherRecords).toEqual([{ entity: 'notice', sk: 'NOTICE#y' }]);
    expect((m.documents as { documentId: string; archivedAs: string | null }[]).map((d) => [d.documentId, d.archivedAs]).slice(0, 2)).toEqual([
      ['d-letter', 'originals/001-d-letter.pdf'],
      ['d-receipt', null],
    ]);
    expect(m.auditChain).toEqual({ head: { seq: 2, hash: events[1]?.hash }, events });
    expect(m.timeline).toEqual([
      { seq: 1, at: events[0]?.at, type: 'case.registered', actor: 'system:t' },
      { seq: 2, at: events[1]?.at, type: 'case.closed', actor: 'system:t' },
    ]);
  });
});

describe('the registration form content', () => {
  it('fills every row of 归档登记表 and one contents line per original', () => {
    const originals = [
      file('originals/001-a.pdf', { title: '来信扫描件：来信扫描件.pdf', pages: 2 }),
      file('originals/002-b.png', { title: '承办材料：现场照片.png', pages: 1, date: '2026-03-20' }),
    ];
    const form = buildRegistrationForm({ id, case: closedCase(), originals, labels, archivedOn: '2026-05-08', archivedBy: '赵敏' });
    expect(Object.fromEntries(form.rows)).toMatchObject({
      档号: 'X001-2026-D30-0007',
      全宗号: 'X001',
      年度: '2026',
      保管期限: '30年',
      件号: '0007',
      保管期限依据: '一般信访事项的办理材料',
      案件编号: 'XF-2026-000001',
      信访人: '张建华',
      信访形式: '来信',
      信访事项类型: '申诉求决类',
      问题类别: '劳动和社会保障（含劳资纠纷）',
      承办单位: '人力资源和社会保障局',
      处理结果: '予以支持',
      办结日期: '2026-05-07',
      归档日期: '2026-05-08',
      归档人: '赵敏',
      件内文件: '2份，共3页',
    });
    expect(form.contents).toEqual([
      { seq: 1, title: '来信扫描件：来信扫描件.pdf', date: '2026-03-02', pages: '2', sha256: originals[0]?.sha256 },
      { seq: 2, title: '承办材料：现场照片.png', date: '2026-03-20', pages: '1', sha256: originals[1]?.sha256 },
    ]);
  });

  it('says what happened to a case that was not accepted, and marks an archivist’s override', () => {
    const form = buildRegistrationForm({
      id: {
        ...id,
        decision: { retention: 'permanent', reason: '具有长期查考价值', source: 'override', override: { by: 'archivist1', reason: '具有长期查考价值' } },
      },
      case: declinedAndClosed(),
      originals: [file('originals/001-a.pdf')],
      labels,
      archivedOn: '2026-05-08',
      archivedBy: '定时归档',
    });
    const rows = Object.fromEntries(form.rows);
    expect(rows.处理结果).toBe('不予受理');
    expect(rows.保管期限).toBe('永久');
    expect(rows.保管期限依据).toBe('具有长期查考价值（档案员调整：archivist1）');
    expect(rows.件内文件).toBe('1份');
    expect(form.contents[0]?.pages).toBe('—');
  });
});

describe('closed → archived', () => {
  const info: CaseArchiveInfo = {
    archiveNo: id.archiveNo,
    fonds: 'X001',
    year: 2026,
    item: 7,
    retention: '30y',
    retentionReason: '一般信访事项的办理材料',
    retentionEnds: '2057-01-01',
    packagePrefix: packagePrefix(id.archiveNo),
    manifestSha256: sha('manifest'),
    files: 8,
    bytes: 1234,
    archivedAt: '2026-05-08T00:00:00.000Z',
    archivedBy: '定时归档',
  };

  it('archives a closed case, bumps its version and names the manifest in the audit event', () => {
    const c = closedCase();
    const { next, event } = archiveTransition(c, info, new Date('2026-05-08T00:00:00Z'));
    expect(next).toMatchObject({ status: 'archived', version: c.version + 1, archive: info });
    expect(event).toEqual({
      type: 'case.archived',
      data: {
        action: 'archive',
        from: 'closed',
        to: 'archived',
        archiveNo: id.archiveNo,
        retention: '30y',
        retentionEnds: '2057-01-01',
        manifestSha256: info.manifestSha256,
        files: 8,
      },
    });
    expect(archiveSummary(next, info)).toMatchObject({
      archiveNo: id.archiveNo,
      caseNo: c.caseNo,
      year: 2026,
      retentionLabel: '30年',
      departments: ['HRSS'],
      petitioners: ['张**'],
      closedOn: '2026-05-07',
    });
  });

  it('refuses anything but a closed case, and a case that already has a number', () => {
    const c = closedCase();
    expect(() => archiveTransition({ ...c, status: 'delivered' }, info, new Date())).toThrow(/Cannot archive a case that is delivered/);
    const { next } = archiveTransition(c, info, new Date());
    expect(() => archiveTransition(next, info, new Date())).toThrow(/Cannot archive a case that is archived/);
    expect(() => archiveTransition({ ...c, archive: info }, info, new Date())).toThrow(/already has an archive number/);
  });
});
