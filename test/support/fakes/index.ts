/**
 * In-memory fakes of the application's ports (shared/app/ports.ts, archive-ports.ts,
 * sweep-ports.ts, calendar.ts, search-ports.ts), for unit tests of the use cases that need neither Java nor a
 * server. One `fakePorts()` is one table and one set of buckets, every fake over the same state:
 *
 *   const ports = fakePorts({ now: '2026-03-02T01:00:00Z' });
 *   const registry = new Registry({ repo: ports.repo, storage: ports.storage, clock: ports.clock, … });
 *
 * The fakes keep the semantics the use cases rely on (see state.ts); the contract suites in
 * test/support/contracts run the same checks against these fakes (test/unit/fakes) and against
 * the DynamoDB and S3 adapters (test/adapter/contracts.test.ts), so the two stay alike.
 */
import { officeCalendar, type HolidayCalendar } from '../../../shared/domain/clocks';
import type { OfficeDirectory } from '../../../shared/domain/accused';
import { officeDirectory, parseOfficeSettings } from '../../../shared/domain/office';
import { DEFAULT_SWEEP_POLICY, type SweepPolicy } from '../../../shared/domain/sweep';
import { FakeClock } from '../../../shared/domain/time';
import { FakeArchiveRepository } from './archive-repository';
import { FakeCaseRepository } from './case-repository';
import { FakeOcrStore } from './ocr-store';
import { FakeSearchIndex } from './search-index';
import { FakeArchiveDisposal, FakeArchiveStorage, FakeBuckets, FakeDocumentStorage } from './storage';
import { FakeState } from './state';
import { FakeSweepStore } from './sweep-store';

export { FakeArchiveRepository } from './archive-repository';
export { FakeCaseRepository, withoutParts } from './case-repository';
export { FakeOcrStore } from './ocr-store';
export { FakeSearchIndex } from './search-index';
export { FakeArchiveDisposal, FakeArchiveStorage, FakeBuckets, FakeDocumentStorage } from './storage';
export { FakeState } from './state';
export { FakeSweepStore } from './sweep-store';

export interface FakePorts {
  state: FakeState;
  buckets: FakeBuckets;
  clock: FakeClock;
  /** CaseRepository, TemplateStore and CalendarYearStore. */
  repo: FakeCaseRepository;
  storage: FakeDocumentStorage;
  /** SweepStore, OutboxStore and CalendarClockStore. */
  store: FakeSweepStore;
  archive: FakeArchiveRepository;
  archiveStore: FakeArchiveStorage;
  disposal: FakeArchiveDisposal;
  /** SearchIndex: the cases of the state as the index holds them once refreshed. */
  search: FakeSearchIndex;
  /** OcrStore: the readings beside the documents. */
  ocr: FakeOcrStore;
}

/** The PII hash key of the fakes (and of the use cases fakeApp wires over them). */
export const TEST_PII_KEY = 'unit-test-pii-key';

export function fakePorts(
  options: {
    now?: string | Date;
    policy?: SweepPolicy;
    calendar?: Pick<HolidayCalendar, 'isWorkingDay'>;
    /** The office the search scopes are computed with (default: the default departments). */
    office?: OfficeDirectory | (() => OfficeDirectory);
  } = {},
): FakePorts {
  const state = new FakeState(options.policy ?? DEFAULT_SWEEP_POLICY, options.calendar ?? officeCalendar);
  const buckets = new FakeBuckets();
  const clock = new FakeClock(options.now ?? '2026-03-02T01:00:00Z');
  return {
    state,
    buckets,
    clock,
    repo: new FakeCaseRepository(state),
    storage: new FakeDocumentStorage(buckets, 'documents', () => clock.now()),
    store: new FakeSweepStore(state),
    archive: new FakeArchiveRepository(state),
    archiveStore: new FakeArchiveStorage(buckets, 'archive', 'documents'),
    disposal: new FakeArchiveDisposal(buckets, 'archive'),
    search: new FakeSearchIndex(state, { piiKey: TEST_PII_KEY, office: options.office ?? officeDirectory(parseOfficeSettings(undefined)) }),
    ocr: new FakeOcrStore(state),
  };
}
