/**
 * The OCR function's runtime (functions/ocr): the use case over the table (the document, the
 * readings, the search's scan text), the documents bucket (the verified copies) and the engine,
 * which is built on the first job (functions/common/ocr-engine.ts). Built once per cold start.
 */
import { createS3Client } from '../../shared/adapters/clients';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbOcrStore } from '../../shared/adapters/ocr-store';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { DynamoDbSearchIndex } from '../../shared/adapters/search-index';
import { OcrService } from '../../shared/app/ocr';
import { need } from '../../shared/config/env';
import { officeDirectory } from '../../shared/domain/office';
import { runtimeClock } from './clock';
import { officeSettings } from './office';
import { ocrEngine } from './ocr-engine';
import { logger, piiKey } from './runtime';
import { clientConfig, config, once, tableClients } from './runtime-support';

export const getOcrRuntime = once(async (): Promise<{ ocr: OcrService }> => {
  const { tableName, db } = tableClients();
  const settings = officeSettings();
  const search = new DynamoDbSearchIndex(db, tableName, {
    piiKey: await piiKey(),
    office: () => officeDirectory(settings),
    onRefreshError: (caseNo, err) => logger.error('search refresh failed; the case stays pending', { caseNo, err }),
  });
  const ocr = new OcrService({
    repo: new DynamoDbCaseRepository(db, tableName),
    store: new DynamoDbOcrStore(db, tableName),
    files: new S3DocumentStorage(createS3Client(clientConfig()), need(config(), 'documentsBucket')),
    engine: ocrEngine,
    search,
    clock: runtimeClock,
  });
  return { ocr };
});
