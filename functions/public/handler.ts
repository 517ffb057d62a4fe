/** The petitioner's public query: case number + query code, no account; rate-limited per case and per client IP. */
import { buildVocabulary } from '../../shared/app/vocabulary';
import { RETRY_AFTER_SECONDS } from '../../shared/http/errors';
import { httpHandlerWith } from '../common/http';
import { getPublicRuntime } from '../common/online-runtime';

export const handler = httpHandlerWith(getPublicRuntime, 'public', {
  // Public: which dependency is down (no case data); 503 with Retry-After while one is.
  health: async (_req, { health }) => {
    const report = await health();
    return report.status === 'ok' ? { body: report } : { statusCode: 503, body: report, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } };
  },
  // Not cached by the browser: the departments change from the admin's screen (docs/admin.md).
  vocabulary: async (_req, { settings }) => ({ body: buildVocabulary(settings), headers: { 'cache-control': 'no-cache' } }),
  // Each takes a case number and a query code: the limits first (per case, counted whether it exists or not, and per IP).
  publicQuery: async ({ body, sourceIp }, { registry, limits }) => {
    await limits.guard(body.caseNo, sourceIp);
    return { body: await registry.publicQuery(body.caseNo, body.queryCode) };
  },
  publicRating: async ({ body, sourceIp }, { registry, limits }) => {
    await limits.guard(body.caseNo, sourceIp);
    return { body: await registry.rate(body.caseNo, body.queryCode, body.rating, body.comment) };
  },
  publicDownload: async ({ body, sourceIp }, { registry, limits }) => {
    await limits.guard(body.caseNo, sourceIp);
    const { url, expiresInSec, document } = await registry.publicDownload(body.caseNo, body.queryCode, body.documentId);
    return { body: { url, expiresInSec, fileName: document.fileName } };
  },
  publicVerifyLetter: async ({ body }, { registry }) => ({ body: await registry.verifyLetter(body.caseNo, body.hash) }),
  publicUrge: async ({ body, sourceIp }, { registry, limits }) => {
    await limits.guard(body.caseNo, sourceIp);
    return { body: await registry.urge(body.caseNo, body.queryCode) };
  },
});
