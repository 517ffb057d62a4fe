/**
 * The contract suites of the ports (test/support/contracts) against the in-memory fakes of
 * test/support/fakes; test/adapter/contracts.test.ts runs the same suites against DynamoDB Local
 * and s3rver, so the fakes the use-case tests run on behave as the adapters do.
 */
import { archiveRepositoryContract, storageContract } from '../../support/contracts/archive';
import { caseRepositoryContract } from '../../support/contracts/case-repository';
import { ocrStoreContract } from '../../support/contracts/ocr-store';
import { searchIndexContract } from '../../support/contracts/search-index';
import { sweepStoreContract } from '../../support/contracts/sweep-store';
import { fakePorts, TEST_PII_KEY } from '../../support/fakes';

caseRepositoryContract('in-memory fake', () => fakePorts().repo);
sweepStoreContract('in-memory fake', () => {
  const ports = fakePorts();
  return { repo: ports.repo, store: ports.store };
});
archiveRepositoryContract('in-memory fake', () => {
  const ports = fakePorts();
  return { repo: ports.repo, archive: ports.archive };
});
storageContract('in-memory fake', () => {
  const ports = fakePorts();
  return { documents: ports.storage, archiveStore: ports.archiveStore, disposal: ports.disposal };
});
searchIndexContract('in-memory fake', () => {
  const ports = fakePorts();
  return { repo: ports.repo, index: ports.search, piiKey: TEST_PII_KEY };
});
ocrStoreContract('in-memory fake', () => fakePorts().ocr);
