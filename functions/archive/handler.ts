/** The archive for people (DESIGN §6): search, packages, recorded downloads, loans, disposal, fixity reports. Reads the archive; never writes it. */
import type { z } from 'zod';
import type {
  ArchiveApproveDisposalSchema,
  ArchiveDisposalQuerySchema,
  ArchiveDownloadSchema,
  ArchiveFixityQuerySchema,
  ArchiveLendSchema,
  ArchivePageQuerySchema,
  ArchiveProposeDisposalSchema,
  ArchiveSearchQuerySchema,
} from '../../shared/http/archive-schemas';
import { getArchiveRuntime } from '../common/archive-runtime';
import { httpHandlerWith } from '../common/http';

const no = (params: Record<string, string>) => params.archiveNo ?? '';

export const handler = httpHandlerWith(() => getArchiveRuntime('archive'), 'archive', {
  archivePending: async ({ actor, query }, { archive }) => {
    const q = query as z.infer<typeof ArchivePageQuerySchema>;
    return { body: await archive.pending(actor, q.limit, q.cursor) };
  },
  archiveSearch: async ({ actor, query }, { archive }) => {
    const { petitionerName, petitionerIdNumber, petitionerPhone, ...q } = query as z.infer<typeof ArchiveSearchQuerySchema>;
    const petitioner = petitionerName || petitionerIdNumber || petitionerPhone ? { name: petitionerName, idNumber: petitionerIdNumber, phone: petitionerPhone } : undefined;
    return { body: await archive.search(actor, { ...q, petitioner }) };
  },
  archiveGetPackage: async ({ actor, params }, { archive }) => ({ body: await archive.getPackage(actor, no(params)) }),
  archiveDownload: async ({ actor, params, body }, { archive }) => {
    const b = body as z.infer<typeof ArchiveDownloadSchema>;
    return { body: await archive.download(actor, no(params), b.path, b.purpose) };
  },
  archiveLend: async ({ actor, params, body }, { archive }) => ({ statusCode: 201, body: await archive.lend(actor, no(params), body as z.infer<typeof ArchiveLendSchema>) }),
  archiveFixityReports: async ({ actor, query }, { archive }) => {
    const q = query as z.infer<typeof ArchiveFixityQuerySchema>;
    return { body: await archive.fixityReports(actor, q.limit, q.cursor) };
  },
  archiveDisposalList: async ({ actor, query }, { archive }) => {
    const q = query as z.infer<typeof ArchiveDisposalQuerySchema>;
    return { body: await archive.disposalList(actor, q.onOrBefore, q.limit, q.cursor) };
  },
  archiveProposeDisposal: async ({ actor, params, body }, { archive }) => ({
    statusCode: 201,
    body: await archive.proposeDisposal(actor, no(params), (body as z.infer<typeof ArchiveProposeDisposalSchema>).reason),
  }),
  archiveApproveDisposal: async ({ actor, params, body }, { archive }) => ({
    body: await archive.approveDisposal(actor, no(params), (body as z.infer<typeof ArchiveApproveDisposalSchema>).comment),
  }),
});
