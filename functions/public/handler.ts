/** The petitioner's public query: case number + query code, no account. */
import type { z } from 'zod';
import type { PublicDownloadSchema, PublicQuerySchema, PublicRatingSchema, PublicVerifyLetterSchema } from '../../shared/http/schemas';
import { buildVocabulary } from '../../shared/app/vocabulary';
import { httpHandler } from '../common/http';

export const handler = httpHandler('public', {
  vocabulary: async (_req, { settings }) => ({ body: buildVocabulary(settings), headers: { 'cache-control': 'public, max-age=300' } }),
  publicQuery: async ({ body }, { registry }) => {
    const b = body as z.infer<typeof PublicQuerySchema>;
    return { body: await registry.publicQuery(b.caseNo, b.queryCode) };
  },
  publicRating: async ({ body }, { registry }) => {
    const b = body as z.infer<typeof PublicRatingSchema>;
    return { body: await registry.rate(b.caseNo, b.queryCode, b.rating, b.comment) };
  },
  publicDownload: async ({ body }, { registry }) => {
    const b = body as z.infer<typeof PublicDownloadSchema>;
    const { url, expiresInSec, document } = await registry.publicDownload(b.caseNo, b.queryCode, b.documentId);
    return { body: { url, expiresInSec, fileName: document.fileName } };
  },
  publicVerifyLetter: async ({ body }, { registry }) => {
    const b = body as z.infer<typeof PublicVerifyLetterSchema>;
    return { body: await registry.verifyLetter(b.caseNo, b.hash) };
  },
});
