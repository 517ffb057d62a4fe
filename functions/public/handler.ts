/** The petitioner's public query: case number + query code, no account. */
import { buildVocabulary } from '../../shared/app/vocabulary';
import { httpHandler } from '../common/http';

export const handler = httpHandler('public', {
  vocabulary: async (_req, { settings }) => ({ body: buildVocabulary(settings), headers: { 'cache-control': 'public, max-age=300' } }),
  publicQuery: async ({ body }, { registry }) => ({ body: await registry.publicQuery(body.caseNo, body.queryCode) }),
  publicRating: async ({ body }, { registry }) => ({ body: await registry.rate(body.caseNo, body.queryCode, body.rating, body.comment) }),
  publicDownload: async ({ body }, { registry }) => {
    const { url, expiresInSec, document } = await registry.publicDownload(body.caseNo, body.queryCode, body.documentId);
    return { body: { url, expiresInSec, fileName: document.fileName } };
  },
  publicVerifyLetter: async ({ body }, { registry }) => ({ body: await registry.verifyLetter(body.caseNo, body.hash) }),
});
