/**
 * Who may see a petitioner's contact details in full (DESIGN §7). The office's own staff (clerks,
 * directors) see them; everyone else sees ID number, phone and address masked. The department
 * handling a case (承办单位) must be able to reach the petitioner, so it may reveal them on a case
 * assigned to it now — each reveal an audit event — except on an accusation (检举控告), whose
 * accuser's identity stays protected (Art. 30). Browser-safe (no imports): the case page offers
 * 显示联系方式 by the same rule the API enforces.
 */

export type ContactRevealRefusal = 'not-department' | 'not-assigned' | 'accusation';

/** Why this user may not reveal the case's contact details, in Chinese, by refusal. */
export const CONTACT_REVEAL_REASONS: Record<ContactRevealRefusal, string> = {
  'not-department': '仅承办单位可查看信访人联系方式',
  'not-assigned': '该事项未交由本单位办理，不能查看信访人联系方式',
  accusation: '检举控告类事项，检举控告人的身份受保护，不能查看其联系方式',
};

/**
 * Null when the user may reveal the contact details of the case's petitioners, else why not:
 * only a department user, only on a case assigned to that department now, never on an accusation.
 */
export function contactRevealRefusal(
  actor: { roles: readonly string[]; deptCode?: string },
  c: { deptCode?: string; itemType: string },
): ContactRevealRefusal | null {
  if (!actor.roles.includes('department') || !actor.deptCode) return 'not-department';
  if (c.deptCode !== actor.deptCode) return 'not-assigned';
  if (c.itemType === 'accusation') return 'accusation';
  return null;
}
