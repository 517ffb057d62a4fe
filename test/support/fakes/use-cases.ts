/**
 * The use cases wired over the in-memory fakes, as functions/common/*-runtime.ts wires them over
 * the adapters: the same classes, the office's default settings, the official calendar, and (when
 * asked) the real letter issuers, which render PDFs in process.
 */
import { ArchiveService } from '../../../shared/app/archive';
import { CaseLetterIssuer } from '../../../shared/app/letters';
import { Oversight } from '../../../shared/app/oversight';
import { Registry } from '../../../shared/app/registry';
import { CaseSearch } from '../../../shared/app/search';
import { OcrService } from '../../../shared/app/ocr';
import type { OcrEngine, OcrJob } from '../../../shared/app/ocr-ports';
import { SupervisionLetterIssuer } from '../../../shared/app/supervision-letters';
import { DeadlineSweep } from '../../../shared/app/sweep';
import { officeCalendar } from '../../../shared/domain/clocks';
import { officeDirectory, parseOfficeSettings, type OfficeSettings } from '../../../shared/domain/office';
import { loadLetterFonts, type LetterFonts } from '../../../shared/letters';
import { registrationRenderer } from '../../../shared/letters/registration';
import { fakePorts, TEST_PII_KEY, type FakePorts } from './index';

export { TEST_PII_KEY } from './index';

let fonts: Promise<LetterFonts> | undefined;
/** The letter fonts, loaded once per test file. */
export function letterFonts(): Promise<LetterFonts> {
  fonts ??= loadLetterFonts();
  return fonts;
}

export interface FakeApp {
  ports: FakePorts;
  settings: OfficeSettings;
  registry: Registry;
  sweep: DeadlineSweep;
  oversight: Oversight;
  archive: ArchiveService;
  /** Finding a case (GET /cases?q=…), over the fake search index. */
  search: CaseSearch;
  /** The OCR over the fakes (with `ocr`): its jobs wait in `queue` until a test runs them. */
  ocr: { service: OcrService; queue: OcrJob[] };
}

export function fakeApp(
  options: {
    now?: string;
    settings?: OfficeSettings;
    letters?: boolean;
    newId?: () => string;
    /** The OCR engine of the jobs (default: one that reads nothing and fails). */
    ocrEngine?: OcrEngine;
  } = {},
): FakeApp {
  const settings = options.settings ?? parseOfficeSettings(undefined);
  // The sweep's entries follow the office's sweep policy, as the adapters' SweepIndexer does.
  const ports = fakePorts({ now: options.now, policy: settings.sweep, calendar: officeCalendar, office: () => officeDirectory(settings) });
  const { repo, storage, clock, store } = ports;
  const letterDeps = { repo, templates: repo, storage, office: settings.letters, clock, fonts: letterFonts };
  const queue: OcrJob[] = [];
  const engine: OcrEngine = options.ocrEngine ?? { read: () => Promise.reject(new Error('no OCR engine in this test')) };
  const ocrService = new OcrService({
    repo,
    store: ports.ocr,
    // The verified copy's object-created event, in AWS and locally: here the job waits in `queue`.
    queue: { send: async (job) => void queue.push(job) },
    verificationWaitMs: 0,
    files: storage,
    engine: async () => engine,
    search: ports.search,
    clock,
  });
  const registry = new Registry({
    ocr: { enqueue: (doc) => ocrService.enqueue(doc), readings: ports.ocr },
    repo,
    storage,
    clock,
    settings,
    clocks: { calendar: officeCalendar },
    piiKey: TEST_PII_KEY,
    ...(options.letters ? { letters: new CaseLetterIssuer(letterDeps) } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
  });
  const sweep = new DeadlineSweep({
    store,
    ...(options.letters ? { letters: new SupervisionLetterIssuer(letterDeps) } : {}),
    clock,
    settings,
    calendar: officeCalendar,
  });
  const oversight = new Oversight({ store, outbox: store, repo, sweep, clock, settings });
  const archive = new ArchiveService({
    repo,
    archive: ports.archive,
    store: ports.archiveStore,
    disposal: ports.disposal,
    clock,
    settings,
    registrationForm: registrationRenderer(letterFonts),
    piiKey: TEST_PII_KEY,
  });
  const search = new CaseSearch({ index: ports.search, piiKey: TEST_PII_KEY, settings, clock });
  return { ports, settings, registry, sweep, oversight, archive, search, ocr: { service: ocrService, queue } };
}
