/**
 * Keys of the office's own items (DESIGN §1, admin): its departments, its users and the
 * office-level audit trail of every admin change. Each kind is one partition, so one Query reads
 * it whole (an office has tens of departments and hundreds of users, not millions).
 *
 *   item                 pk                  sk                  index keys
 *   department           OFFICE#DIRECTORY    DEPT#<code>         —
 *   seeded marker        OFFICE#DIRECTORY    #SEEDED             — (OFFICE_CONFIG's departments were copied in)
 *   user                 OFFICE#USERS        USER#<username>     —
 *   office audit event   OFFICE#AUDIT        AUDIT#<seq:08>      —
 *   office audit head    OFFICE#AUDIT        #HEAD               — (seq and hash of the last event)
 *   office settings      OFFICE#SETTINGS     #SETTINGS           — (the admin's overrides of OFFICE_CONFIG)
 *   categories           OFFICE#SETTINGS     #CATEGORIES         — (the taxonomy, 类别 / 子类, one item; OFFICE_CONFIG's copied in on first start)
 */
const DIRECTORY_PK = 'OFFICE#DIRECTORY';
const USERS_PK = 'OFFICE#USERS';
const AUDIT_PK = 'OFFICE#AUDIT';
const SETTINGS_PK = 'OFFICE#SETTINGS';
const AUDIT_SK_PREFIX = 'AUDIT#';

export const officeKey = {
  department: (code: string) => ({ pk: DIRECTORY_PK, sk: `DEPT#${code}` }),
  seeded: () => ({ pk: DIRECTORY_PK, sk: '#SEEDED' }),
  user: (username: string) => ({ pk: USERS_PK, sk: `USER#${username}` }),
  auditEvent: (seq: number) => ({ pk: AUDIT_PK, sk: `${AUDIT_SK_PREFIX}${String(seq).padStart(8, '0')}` }),
  auditHead: () => ({ pk: AUDIT_PK, sk: '#HEAD' }),
  settings: () => ({ pk: SETTINGS_PK, sk: '#SETTINGS' }),
  categories: () => ({ pk: SETTINGS_PK, sk: '#CATEGORIES' }),
};

/** The upper sort-key bound of the office audit events before `seq` (inclusive of it, as the BETWEEN reads), or of all of them. */
export function officeAuditThrough(seq?: number): string {
  return seq !== undefined ? officeKey.auditEvent(seq).sk : `${AUDIT_SK_PREFIX}~`;
}

/** The partitions a Query reads whole, with the sort-key prefix of their items. */
export const OFFICE_PARTITION = {
  departments: { pk: DIRECTORY_PK, skPrefix: 'DEPT#' },
  users: { pk: USERS_PK, skPrefix: 'USER#' },
  audit: { pk: AUDIT_PK, skPrefix: AUDIT_SK_PREFIX },
} as const;
