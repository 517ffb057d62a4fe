import type { Session } from './auth';

/** What the shell gives every page: the route's parameters and the signed-in session. */
export interface PageProps {
  params: Record<string, string>;
  session: Session;
}
