/** Document links (presigned POST uploads and recorded, short-lived downloads) and a department's recorded reveal of the petitioners' contact details. */
import { httpHandler } from '../common/http';

export const handler = httpHandler('documents', {
  createUpload: async ({ actor, params, body }, { registry }) => ({ statusCode: 201, body: await registry.createUpload(actor, params.caseNo, body) }),
  downloadDocument: async ({ actor, params }, { registry }) => {
    const { url, expiresInSec, document } = await registry.download(actor, params.caseNo, params.documentId);
    return { body: { url, expiresInSec, fileName: document.fileName, contentType: document.contentType, sha256: document.sha256 } };
  },
  revealContact: async ({ actor, params }, { registry }) => ({ body: await registry.revealContact(actor, params.caseNo) }),
});
