/** The archive for people (DESIGN §6): search, packages, recorded downloads, loans, disposal, fixity reports. Reads the archive; never writes it (立即检查 re-hashes packages and keeps its report in the table). */
import { getArchiveRuntime } from '../common/archive-runtime';
import { httpHandlerWith } from '../common/http';

/** 立即检查 stops checking further packages after this (the function's timeout is 15 s). */
export const FIXITY_CHECK_BUDGET_MS = 10_000;

export const handler = httpHandlerWith(() => getArchiveRuntime('archive-api'), 'archive-api', {
  archivePending: async ({ actor, query }, { archive }) => ({ body: await archive.pending(actor, query.limit, query.cursor) }),
  archiveSearch: async ({ actor, query }, { archive }) => {
    const { petitionerName, petitionerIdNumber, petitionerPhone, ...q } = query;
    const petitioner =
      petitionerName || petitionerIdNumber || petitionerPhone ? { name: petitionerName, idNumber: petitionerIdNumber, phone: petitionerPhone } : undefined;
    return { body: await archive.search(actor, { ...q, petitioner }) };
  },
  archiveGetPackage: async ({ actor, params }, { archive }) => ({ body: await archive.getPackage(actor, params.archiveNo) }),
  archiveDownload: async ({ actor, params, body }, { archive }) => ({ body: await archive.download(actor, params.archiveNo, body.path, body.purpose) }),
  archiveLend: async ({ actor, params, body }, { archive }) => ({ statusCode: 201, body: await archive.lend(actor, params.archiveNo, body) }),
  archiveFixityReports: async ({ actor, query }, { archive }) => ({ body: await archive.fixityReports(actor, query.limit, query.cursor) }),
  archiveFixityCheck: async ({ actor, body }, { archive }) => ({
    statusCode: 201,
    body: await archive.checkFixityNow(actor, body.refs, Date.now() + FIXITY_CHECK_BUDGET_MS),
  }),
  archiveDisposalList: async ({ actor, query }, { archive }) => ({ body: await archive.disposalList(actor, query.onOrBefore, query.limit, query.cursor) }),
  archiveProposeDisposal: async ({ actor, params, body }, { archive }) => ({
    statusCode: 201,
    body: await archive.proposeDisposal(actor, params.archiveNo, body.reason),
  }),
  archiveApproveDisposal: async ({ actor, params, body }, { archive }) => ({ body: await archive.approveDisposal(actor, params.archiveNo, body.comment) }),
});
