/**
 * The `exports` function's runtime (docs/exports.md): the plain runtime (cases, search, the PII
 * key the search and the petitioner filters hash with), the reports over their facts, the
 * documents bucket (exports/ only), the office's audit trail, and the letter fonts for the PDF.
 * Its own module, so exceljs and ECharts stay out of every other function's bundle.
 */
import { createS3Client } from '../../shared/adapters/clients';
import { DynamoDbReportStore } from '../../shared/adapters/report-store';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { OFFICE_AUDIT_CHAIN } from '../../shared/app/directory-ports';
import { Exports } from '../../shared/app/exports';
import { Reports } from '../../shared/app/reports';
import { need } from '../../shared/config/env';
import { chainEvent } from '../../shared/domain/audit';
import { officeDirectory as accusedDirectory } from '../../shared/domain/office';
import { casesPage } from './case-lists';
import { runtimeClock } from './clock';
import { officeDirectory } from './office';
import { buildRuntime, type Runtime } from './runtime';
import { config, once, tableClients } from './runtime-support';

export interface ExportsRuntime extends Runtime {
  exports: Exports;
}

export const getExportsRuntime = once(async (): Promise<ExportsRuntime> => {
  const rt = await buildRuntime();
  const { clients, tableName, db } = tableClients();
  const storage = new S3DocumentStorage(createS3Client(clients), need(config(), 'documentsBucket'));
  const reportStore = new DynamoDbReportStore(db, tableName);
  const office = officeDirectory();
  if (!office) throw new Error('The exports function needs the table');
  const reports = new Reports({
    facts: reportStore,
    frozen: reportStore,
    documents: storage,
    clock: runtimeClock,
    settings: rt.settings,
    // The drill-down's export reads its cases as GET /reports/cases does.
    cases: { repo: rt.repo, office: accusedDirectory(rt.settings) },
  });
  const exports = new Exports({
    report: (actor, q) => reports.report(actor, q),
    casesPage: (actor, filters, limit, cursor) => casesPage(rt, actor, { ...filters, limit, cursor } as Parameters<typeof casesPage>[2]),
    inboxPage: (actor, limit, cursor) => rt.registry.inbox(actor, limit, cursor),
    reportCases: (actor, q) => reports.caseList(actor, q),
    storage,
    audit: async (event) => {
      await office.store.commit({ item: { kind: 'none' }, rev: null, event }, (prev) => chainEvent(prev, { caseNo: OFFICE_AUDIT_CHAIN, ...event }));
    },
    clock: runtimeClock,
    labels: () => ({ categories: rt.settings.categories, departments: rt.settings.departments, localities: rt.settings.localities }),
    caseView: (actor, caseNo) => rt.registry.getCase(actor, caseNo),
    peopleNames: async () => new Map((await office.store.users()).map(({ value: u }) => [u.username, u.displayName])),
    // Loaded with the first PDF (in AWS from the font layer at XF_FONT_DIR), then kept.
    fonts: () => import('../../shared/letters/fonts').then((m) => m.loadLetterFonts(config().fontDir)),
    organName: () => rt.settings.letters.organName,
  });
  return { ...rt, exports };
});
