/** Reading cases: search and list, a case with its timeline, the inbox, registration warnings. */
import { httpHandlerWith } from '../common/http';
import { cursorSigner, getRuntime } from '../common/runtime';
import { once } from '../common/runtime-support';
import { officeDirectory } from '../common/office';
import { people } from '../../shared/app/directory';
import { casesPage } from '../common/case-lists';

/** The shared runtime, and the signer of the list routes' page cursors. */
const getReadRuntime = once(async () => ({ ...(await getRuntime()), cursors: await cursorSigner() }));

export const handler = httpHandlerWith(getReadRuntime, 'cases-read', {
  me: async ({ actor }) => ({ body: actor }),
  people: async ({ actor }) => ({ body: await people(officeStore(), actor) }),
  checkRegistration: async ({ actor, body }, { registry }) => ({ body: await registry.checkRegistration(actor, body) }),
  getCase: async ({ actor, params }, { registry }) => {
    const view = await registry.getCase(actor, params.caseNo);
    return { body: view, etag: view.version };
  },
  getTimeline: async ({ actor, params }, { registry }) => ({ body: { events: await registry.timeline(actor, params.caseNo) } }),
  inbox: async ({ actor, query }, { registry }) => ({ body: await registry.inbox(actor, query.limit, query.cursor) }),
  listCases: async ({ actor, query }, rt) => ({ body: await casesPage(rt, actor, query) }),
});

function officeStore() {
  const directory = officeDirectory();
  if (!directory) throw new Error('cases-read needs the table');
  return directory.store;
}
