/**
 * When the lifecycle (DESIGN §3) lets files come to a case. Browser-safe (no imports): the web
 * application shows the upload form by the same rule the API enforces.
 */

/**
 * The statuses in which the office still works on the matter, defined here because this module is
 * browser-safe; case.ts's `OPEN_STATUSES` is this list, typed as case statuses.
 */
export const WORKING_STATUSES = [
  'registered',
  'accepted',
  'assigned',
  'answered',
  'replied',
  'delivered',
  'under_review',
  'reviewed',
  'under_rereview',
] as const;
const UPLOAD_OPEN_STATUSES: readonly string[] = WORKING_STATUSES;

/**
 * Whether an upload link of this kind may be issued for the case now: a response while the case
 * is with its department (`assigned`); a scan or material while the office is still working on
 * the matter (not once it is declined, transferred, final, closed or archived). Who may ask is
 * checked by the registry.
 */
export function mayRequestUpload(c: { status: string }, kind: 'letter' | 'attachment' | 'response'): boolean {
  return kind === 'response' ? c.status === 'assigned' : UPLOAD_OPEN_STATUSES.includes(c.status);
}

/**
 * Whether a file may still land on the case (the upload check): while the office is working on
 * the matter. A link issued while that was so may be used later (a response sent just after the
 * answer); once the case is declined, transferred, final, closed or archived nothing lands, so no
 * verified document appears on a case outside its archive package.
 */
export function mayLandUpload(c: { status: string }): boolean {
  return UPLOAD_OPEN_STATUSES.includes(c.status);
}
