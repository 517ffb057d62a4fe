/** Reading cases: search and list, a case with its timeline, the inbox, registration warnings. */
import { httpHandler } from '../common/http';

export const handler = httpHandler('cases-read', {
  me: async ({ actor }) => ({ body: actor }),
  checkRegistration: async ({ actor, body }, { registry }) => ({ body: await registry.checkRegistration(actor, body) }),
  getCase: async ({ actor, params }, { registry }) => {
    const view = await registry.getCase(actor, params.caseNo);
    return { body: view, etag: view.version };
  },
  getTimeline: async ({ actor, params }, { registry }) => ({ body: { events: await registry.timeline(actor, params.caseNo) } }),
  inbox: async ({ actor, query }, { registry }) => ({ body: await registry.inbox(actor, query.limit, query.cursor) }),
  listCases: async ({ actor, query }, { registry }) => {
    const { petitionerName, petitionerIdNumber, petitionerPhone, ...q } = query;
    const petitioner = petitionerName || petitionerIdNumber || petitionerPhone ? { name: petitionerName, idNumber: petitionerIdNumber, phone: petitionerPhone } : undefined;
    return { body: await registry.list(actor, { ...q, petitioner }) };
  },
});
