/** The archive for people (DESIGN §6): search, packages, recorded downloads, loans, disposal, fixity reports. Reads the archive; never writes it. */
import { getArchiveRuntime } from '../common/archive-runtime';
import { httpHandlerWith } from '../common/http';

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
  archiveDisposalList: async ({ actor, query }, { archive }) => ({ body: await archive.disposalList(actor, query.onOrBefore, query.limit, query.cursor) }),
  archiveProposeDisposal: async ({ actor, params, body }, { archive }) => ({
    statusCode: 201,
    body: await archive.proposeDisposal(actor, params.archiveNo, body.reason),
  }),
  archiveApproveDisposal: async ({ actor, params, body }, { archive }) => ({ body: await archive.approveDisposal(actor, params.archiveNo, body.comment) }),
});
