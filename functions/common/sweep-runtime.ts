/**
 * What the deadline sweep's functions need, built once per cold start from the environment
 * (failing fast on a missing variable):
 * - `sweep` (scheduled) and `oversight` (HTTP): the table, the documents bucket (the 督办单 is
 *   stored under generated/), the letter fonts, the office's settings; `oversight` also verifies
 *   tokens. The sweep itself hashes and shows no ID number.
 * - the `sweep` function's other scheduled task, the retry of failed search-index refreshes
 *   (every 15 minutes): the search index, which hashes ID and phone numbers with the PII hash key
 *   (the secret the API's functions read; in AWS only `sweep` of these two is granted it).
 * - its `ocr-requeue` task (every 30 minutes): the OCR jobs' markers and the OCR queue.
 * - `notify-sender` has its own runtime (sender-runtime.ts), without the sweep or the renderer.
 * `npm run sweep` builds the same sweep runtime against the running local stack.
 */
import { createS3Client } from '../../shared/adapters/clients';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import { Oversight } from '../../shared/app/oversight';
import { Reports, type ReportRendering } from '../../shared/app/reports';
import { DynamoDbReportStore } from '../../shared/adapters/report-store';
import { DynamoDbSearchIndex } from '../../shared/adapters/search-index';
import { DynamoDbOcrStore } from '../../shared/adapters/ocr-store';
import { OcrRequeue } from '../../shared/app/ocr';
import type { OcrQueue } from '../../shared/app/ocr-ports';
import { ocrQueue } from './ocr-queue';
import { SupervisionLetterIssuer } from '../../shared/app/supervision-letters';
import { DeadlineSweep, type SweepLog } from '../../shared/app/sweep';
import { verifierFromConfig, type TokenVerifier } from '../../shared/auth/verify';
import { need } from '../../shared/config/env';
import { officeDirectory, type OfficeSettings } from '../../shared/domain/office';
import { officeSettings } from './office';
import { runtimeClock } from './clock';
import { config, once, tableClients } from './runtime-support';
import { cursorSigner, logger, officeCalendarSource, piiKey } from './runtime';
import type { CursorSigner } from '../../shared/http/cursors';

export interface SweepRuntime {
  sweep: DeadlineSweep;
  oversight: Oversight;
  /** The reports (GET /reports) and the freezing of closed periods (the daily schedule). */
  reports: Reports;
  store: DynamoDbSweepStore;
  settings: OfficeSettings;
}

export interface OversightRuntime extends SweepRuntime {
  verify: TokenVerifier;
  /** The outbox is a list route. */
  cursors: CursorSigner;
}

const sweepLog: SweepLog = {
  info: (message, data) => logger.info(message, data ?? {}),
  warn: (message, data) => logger.warn(message, data ?? {}),
  error: (message, data) => logger.error(message, data ?? {}),
};

/** What a frozen period keeps beside its JSON: the exports' workbook, table and PDF report (loaded with the first freeze). */
function reportRenderings(organName: string): ReportRendering[] {
  return [
    {
      format: 'xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      render: async (report) => (await import('../../shared/exports/report-xlsx')).reportXlsx(report),
    },
    { format: 'csv', contentType: 'text/csv; charset=utf-8', render: async (report) => (await import('../../shared/exports/report-csv')).reportCsv(report) },
    {
      format: 'pdf',
      contentType: 'application/pdf',
      render: async (report) => {
        const [{ renderReportPdf }, { loadLetterFonts }] = await Promise.all([import('../../shared/exports/report-pdf'), import('../../shared/letters/fonts')]);
        return (await renderReportPdf({ report, fonts: await loadLetterFonts(config().fontDir), organName })).bytes;
      },
    },
  ];
}

/** The sweep and the oversight use cases, for the `sweep` function and `npm run sweep`. */
export const getSweepRuntime = once(async (): Promise<SweepRuntime> => {
  const { clients, tableName, db } = tableClients();
  const settings = officeSettings();
  const calendar = officeCalendarSource(new DynamoDbCaseRepository(db, tableName), settings);
  const indexer = new SweepIndexer(settings.sweep, calendar);
  const repo = new DynamoDbCaseRepository(db, tableName, indexer);
  const store = new DynamoDbSweepStore(db, tableName, indexer);
  const storage = new S3DocumentStorage(createS3Client(clients), need(config(), 'documentsBucket'));
  const letters = new SupervisionLetterIssuer({
    repo,
    templates: repo,
    storage,
    office: settings.letters,
    clock: runtimeClock,
    // Loaded with the first 督办单 (in AWS from the layer at XF_FONT_DIR), then kept.
    fonts: () => import('../../shared/letters/fonts').then((m) => m.loadLetterFonts(config().fontDir)),
    templateCacheMs: settings.templateCacheSeconds * 1000,
  });
  const sweep = new DeadlineSweep({ store, letters, clock: runtimeClock, settings, calendar, log: sweepLog });
  const oversight = new Oversight({ store, outbox: store, repo, sweep, clock: runtimeClock, settings });
  const reportStore = new DynamoDbReportStore(db, tableName);
  const reports = new Reports({
    facts: reportStore,
    frozen: reportStore,
    documents: storage,
    clock: runtimeClock,
    settings,
    renderings: reportRenderings(settings.letters.organName),
    cases: { repo, office: officeDirectory(settings) },
    notices: reportStore,
  });
  return { sweep, oversight, reports, store, settings };
});

/** The `oversight` HTTP function: the same, and the token verifier. */
export const getOversightRuntime = once(async (): Promise<OversightRuntime> => ({
  ...(await getSweepRuntime()),
  verify: verifierFromConfig(config()),
  cursors: await cursorSigner(),
}));

/**
 * The search index for the scheduled retry of failed refreshes (functions/sweep, task
 * `search-refresh`): built apart from the sweep runtime, so only the task that hashes reads the
 * PII hash key (`oversight` shares the sweep runtime and is not granted the key).
 */
export const getSearchRefreshRuntime = once(async (): Promise<{ index: DynamoDbSearchIndex }> => {
  const { tableName, db } = tableClients();
  const settings = officeSettings();
  const index = new DynamoDbSearchIndex(db, tableName, { piiKey: await piiKey(), office: () => officeDirectory(settings) });
  return { index };
});

/**
 * The scheduled re-queue of OCR jobs whose message was lost (functions/sweep, task `ocr-requeue`):
 * the OCR store's markers and the OCR queue (SQS in AWS, the local stack's in-process queue, looked
 * up at each send: the local stack may swap it, useOcrQueue).
 */
export const ocrRequeueRuntime = once(async (): Promise<{ requeue: OcrRequeue }> => {
  const { tableName, db } = tableClients();
  const queue: OcrQueue = { send: (job) => ocrQueue().send(job) };
  return { requeue: new OcrRequeue({ store: new DynamoDbOcrStore(db, tableName), queue, clock: runtimeClock }) };
});
