/**
 * Keys of the OCR readings in the single table (docs/ocr.md), beside keys.ts: in the case's
 * partition, next to the document they read and never in the case item. One status item per
 * document and one item per page, so a reading of any length stays a set of small items and one
 * document's reading (or all of a case's) is one Query.
 *
 *   item          pk           sk                          what
 *   OCR status    CASE#<no>    OCR#<documentId>#STATUS     queued / done / failed, attempts, the last error, the engine
 *   OCR page      CASE#<no>    OCR#<documentId>#P<n:05>    the page's status, text and confidence
 *   OCR job       OCRQ#<shard> <caseNo>#<documentId>       while the document is queued (written with its status, removed when done or failed)
 *
 * A document's items: `begins_with(sk, 'OCR#<documentId>#')`; every reading of a case:
 * `begins_with(sk, 'OCR#')`. (Not under `DOC#`: the documents' Query reads document records only.)
 * The jobs not finished are one Query per shard of `OCRQ#` (the local stack queues them again at
 * start: its queue is in memory).
 */
import { casePartition, dueShard } from './keys';

const OCR = 'OCR#';

export const ocrKey = {
  status: (caseNo: string, documentId: string) => ({ pk: casePartition(caseNo), sk: `${OCR}${documentId}#STATUS` }),
  page: (caseNo: string, documentId: string, page: number) => ({ pk: casePartition(caseNo), sk: `${OCR}${documentId}#P${String(page).padStart(5, '0')}` }),
  /** The sort-key prefix of one document's items. */
  documentPrefix: (documentId: string) => `${OCR}${documentId}#`,
  /** The sort-key prefix of every OCR item of a case. */
  casePrefix: OCR,
  /** The marker of a queued document (its job not finished), in its case's shard. */
  queued: (caseNo: string, documentId: string) => ({ pk: ocrQueuedPartition(dueShard(caseNo)), sk: `${caseNo}#${documentId}` }),
};

/** The partition of a shard's queued OCR jobs (the byDue shards of the case number). */
export const ocrQueuedPartition = (shard: number) => `OCRQ#${shard}`;
