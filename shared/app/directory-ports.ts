/**
 * The ports of the office directory (shared/app/directory.ts): where departments, users and the
 * office-level audit trail are kept (the table), and where users sign in (Cognito in AWS).
 */
import type { AuditActor, AuditEvent } from '../domain/audit';
import type { Category } from '../domain/categories';
import type { Department, DirectoryUser } from '../domain/directory';
import type { SettingsOverride } from '../domain/settings';

/** The chain id of the office-level audit trail (the `caseNo` of its events; `npm run audit:verify -- office`). */
export const OFFICE_AUDIT_CHAIN = 'OFFICE';

export interface Versioned<T> {
  value: T;
  /** Revision of the stored item: a change is conditional on the one it read. */
  rev: number;
}

/** An admin change: the item written (conditional on `rev`, `null` = must not exist yet) and its audit event. */
export interface OfficeChange {
  item:
    | { kind: 'department'; value: Department }
    | { kind: 'user'; value: DirectoryUser }
    | { kind: 'settings'; value: SettingsOverride }
    | { kind: 'categories'; value: Category[] }
    | { kind: 'none' };
  rev: number | null;
  event: { at: string; actor: AuditActor; type: string; data: Record<string, unknown> };
}

/** Where the directory and the office audit trail are kept (the single table, OFFICE#…). */
export interface OfficeStore {
  departments(): Promise<{ seeded: boolean; departments: Versioned<Department>[] }>;
  /** Copies the configured departments in, once (a concurrent seed by another process is fine). */
  seedDepartments(departments: Department[], at: string): Promise<void>;
  user(username: string): Promise<Versioned<DirectoryUser> | undefined>;
  users(): Promise<Versioned<DirectoryUser>[]>;
  /** The content taxonomy (分类管理) as stored; undefined until seeded from OFFICE_CONFIG. */
  categories(): Promise<Versioned<Category[]> | undefined>;
  /** Copies the configured taxonomy in, once (what is stored stays). */
  seedCategories(categories: Category[], at: string): Promise<void>;
  /** The admin's override of OFFICE_CONFIG's settings (系统设置), if any. */
  settingsOverride(): Promise<Versioned<SettingsOverride> | undefined>;
  /** Writes the item and appends the event to the office chain in one transaction; ConflictError when `rev` is stale. */
  commit(change: OfficeChange, chain: (prev: { seq: number; hash: string } | null) => AuditEvent): Promise<AuditEvent>;
  /** The office trail, newest first: up to `limit` events before seq `before`. */
  auditEvents(opts: { before?: number; limit: number }): Promise<AuditEvent[]>;
  /** The head of the office trail (the latest event's `{ seq, hash }`, kept apart from the events); undefined before the first event. */
  auditHead(): Promise<{ seq: number; hash: string } | undefined>;
  /**
   * The office trail as stored, oldest first, one page of up to `limit` events from `cursor` on:
   * raw (not parsed, so a field added to an event is still hashed), for verifying the chain;
   * `cursor` when more may follow.
   */
  rawAuditEvents(opts: { cursor?: string; limit: number }): Promise<{ events: unknown[]; cursor?: string }>;
}

/** Where users sign in: Cognito's user pool in AWS; locally the issuer reads the table, so nothing to do. */
export interface IdentityProvider {
  /** Creates the sign-in (Cognito sends the invitation); returns the `sub` of the new user. */
  createUser(user: Omit<DirectoryUser, 'sub'>): Promise<{ sub: string }>;
  /** Brings groups (role) and `custom:deptCode` / `name` / `phone_number` in line. */
  updateUser(before: DirectoryUser, after: DirectoryUser): Promise<void>;
  setEnabled(username: string, enabled: boolean): Promise<void>;
}
