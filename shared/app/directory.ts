/**
 * The office's directory as data the admin keeps (DESIGN §1): departments (add, rename, retire)
 * and users (create, change role or department, disable, re-enable), every change an event of the
 * office-level hash-chained audit trail (who, when, before → after).
 *
 * - Departments: the table holds them; OFFICE_CONFIG's list seeds the table on first start and is
 *   superseded from then on (docs/admin.md). Every function reads them through an
 *   {@link OfficeDirectorySource}, cached briefly (`directoryCacheSeconds`), so a new or renamed
 *   department takes effect without a deploy: accused-unit matching, assignment and the names the
 *   web shows all read this list.
 * - Users: the table holds their profile (display name, role, department, phone, enabled) in AWS
 *   and locally alike; an {@link IdentityProvider} mirrors each change where the sign-in lives
 *   (Cognito's admin API in AWS; locally the built-in issuer signs from the table itself).
 * - Every authenticated request passes the {@link DirectoryGate}: a disabled user is refused at
 *   once (the token they hold is still valid, so the check cannot be left to the issuer), and the
 *   directory's role and department win over the token's, so a change takes effect at the next
 *   request rather than at the next sign-in.
 */
import { randomUUID } from 'node:crypto';
import { chainEvent, type AuditEvent } from '../domain/audit';
import { nameTaken, splitCategoryPath, withAdded, withChanged, type Category, type CreateCategory, type RenameCategory } from '../domain/categories';
import {
  changedFields,
  updatedUser,
  userProblem,
  type CreateDepartment,
  type CreateUser,
  type Department,
  type DirectoryUser,
  type RenameDepartment,
  type UpdateUser,
} from '../domain/directory';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RuleViolationError, UnauthenticatedError, ValidationError } from '../domain/errors';
import { maskPhone } from '../domain/pii';
import { requireRole, type Actor } from '../domain/roles';
import { auditActor } from './actor';
import { checkPrefixChange, editableView, settingsWith, type SettingsOverride } from '../domain/settings';
import type { OfficeSettings } from '../domain/office';
import { shanghaiDate, type Clock } from '../domain/time';
import { OFFICE_AUDIT_CHAIN, type IdentityProvider, type OfficeChange, type OfficeStore, type Versioned } from './directory-ports';
import { verifyOfficeTrail, type OfficeAuditVerification } from './office-audit';

export { OFFICE_AUDIT_CHAIN, type IdentityProvider, type OfficeChange, type OfficeStore, type Versioned } from './directory-ports';

/** The local stack's identity: the built-in issuer signs from the table, so the table is all there is. */
export const tableOnlyIdentity: IdentityProvider = {
  createUser: () => Promise.resolve({ sub: randomUUID() }),
  updateUser: () => Promise.resolve(),
  setEnabled: () => Promise.resolve(),
};

export const DEFAULT_DIRECTORY_CACHE_MS = 30_000;

/**
 * The departments of a warm process: read from the table at most once per `cacheMs`; until the
 * directory is seeded (the admin function's first use, or the local stack's start, copies
 * OFFICE_CONFIG's departments in) the configured ones. `departments` answers from the last read,
 * synchronously, so code that reads the office's settings can keep doing so.
 */
export class OfficeDirectorySource {
  private snapshot: Department[];
  private categorySnapshot: Category[];
  private readAt: number | undefined;
  private pending: Promise<Department[]> | undefined;

  constructor(
    private readonly deps: {
      store: OfficeStore;
      clock: Clock;
      seed: readonly { code: string; name: string; retired?: boolean }[];
      /** OFFICE_CONFIG's taxonomy: in force until the table holds one, and copied in with the departments. */
      categories?: readonly Category[];
      cacheMs?: number;
      /** Called with the admin's settings override at each read (the live settings follow it). */
      onSettings?: (override: SettingsOverride | undefined) => void;
    },
  ) {
    this.snapshot = this.configured();
    this.categorySnapshot = [...(this.deps.categories ?? [])];
  }

  get departments(): Department[] {
    return this.snapshot;
  }

  /** The taxonomy as last read: the table's once seeded, else OFFICE_CONFIG's. */
  get categories(): Category[] {
    return this.categorySnapshot;
  }

  refresh(): Promise<Department[]> {
    const now = this.deps.clock.now().getTime();
    const ttl = this.deps.cacheMs ?? DEFAULT_DIRECTORY_CACHE_MS;
    if (this.readAt !== undefined && now >= this.readAt && now - this.readAt < ttl) return Promise.resolve(this.snapshot);
    this.pending ??= this.read()
      .then((departments) => {
        this.snapshot = departments;
        this.readAt = now;
        return departments;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  invalidate(): void {
    this.readAt = undefined;
  }

  /** The table's departments once seeded; until then the configured ones (only the admin function and the local stack seed). */
  private async read(): Promise<Department[]> {
    const [{ seeded, departments }, settings, categories] = await Promise.all([
      this.deps.store.departments(),
      this.deps.onSettings ? this.deps.store.settingsOverride() : undefined,
      this.deps.categories ? this.deps.store.categories() : undefined,
    ]);
    this.deps.onSettings?.(settings?.value);
    if (categories) this.categorySnapshot = categories.value;
    return seeded ? departments.map((d) => d.value) : this.configured();
  }

  private configured(): Department[] {
    return this.deps.seed.map((d) => ({ code: d.code, name: d.name, retired: d.retired ?? false }));
  }

  /** The stored departments, the configured ones copied in first if the directory was never seeded. */
  async stored(): Promise<Versioned<Department>[]> {
    const first = await this.deps.store.departments();
    if (first.seeded) return first.departments;
    await this.deps.store.seedDepartments(this.configured(), this.deps.clock.now().toISOString());
    return (await this.deps.store.departments()).departments;
  }

  /** The stored taxonomy, OFFICE_CONFIG's copied in first if the table holds none yet. */
  async storedCategories(): Promise<Versioned<Category[]>> {
    const first = await this.deps.store.categories();
    if (first) return first;
    await this.deps.store.seedCategories([...(this.deps.categories ?? [])], this.deps.clock.now().toISOString());
    const seeded = await this.deps.store.categories();
    if (!seeded) throw new Error('the categories were not stored');
    return seeded;
  }

  /** Seeds every store OFFICE_CONFIG seeds (departments, categories) if it was never seeded: at the local stack's start, at the admin's first read. */
  async seed(): Promise<void> {
    await Promise.all([this.stored(), this.deps.categories ? this.storedCategories() : undefined]);
    this.invalidate();
  }
}

/**
 * What every authenticated request passes after its token is verified: the directory's word on
 * the user. A user the directory does not know (a Cognito user created outside the registry) is
 * taken as the token says.
 */
export class DirectoryGate {
  constructor(private readonly deps: { store: OfficeStore; source?: OfficeDirectorySource }) {}

  async admit(actor: Actor): Promise<Actor> {
    const [user] = await Promise.all([this.deps.store.user(actor.username), this.deps.source?.refresh()]);
    if (!user) return actor;
    const u = user.value;
    if (!u.enabled) throw new UnauthenticatedError('账号已停用：请联系系统管理员');
    if (u.sub !== actor.userId) throw new UnauthenticatedError('Invalid token: not the user of this name');
    const admitted: Actor = { userId: actor.userId, username: u.username, displayName: u.displayName, roles: [u.role] };
    if (u.deptCode) admitted.deptCode = u.deptCode;
    return admitted;
  }
}

/** A user as the admin screen shows it (no `sub`). */
export interface UserView {
  username: string;
  displayName: string;
  role: DirectoryUser['role'];
  deptCode?: string;
  phone?: string;
  email?: string;
  enabled: boolean;
  rev: number;
  updatedAt?: string;
}

function userView({ value: u, rev }: Versioned<DirectoryUser>): UserView {
  const { sub: _sub, ...rest } = u;
  return { ...rest, rev };
}

/** An office audit event as the 操作记录 screen lists it. */
export interface OfficeAuditView {
  seq: number;
  at: string;
  type: string;
  actor: { username: string; displayName: string } | { system: string };
  data: AuditEvent['data'];
}

export interface OfficeAdminDeps {
  store: OfficeStore;
  identity: IdentityProvider;
  source: OfficeDirectorySource;
  clock: Clock;
  /** OFFICE_CONFIG's settings: the base the admin's override is laid over. */
  settings?: { configured: OfficeSettings };
  /** After a change of the sweep policy: the open clocks' sweep entries written again with it. */
  rekey?: () => Promise<unknown>;
}

/** Values an audit event may carry: a phone number only masked (audit data refuses raw ones). */
function auditable(u: DirectoryUser | undefined): Record<string, unknown> | undefined {
  if (!u) return undefined;
  const { sub: _sub, updatedAt: _at, phone, ...rest } = u;
  return { ...rest, ...(phone ? { phone: maskPhone(phone) } : {}) };
}

export class OfficeAdmin {
  constructor(private readonly deps: OfficeAdminDeps) {}

  private at(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Appends `change` with its event to the office chain (and makes the change visible to this process at once). */
  async record(change: OfficeChange): Promise<AuditEvent> {
    const event = await this.deps.store.commit(change, (prev) => chainEvent(prev, { caseNo: OFFICE_AUDIT_CHAIN, ...change.event }));
    if (change.item.kind === 'department' || change.item.kind === 'categories') this.deps.source.invalidate();
    return event;
  }

  /** An office change made elsewhere (a template, the calendar, the settings), recorded in the office trail. */
  async audit(actor: Actor, type: string, data: Record<string, unknown>): Promise<void> {
    await this.record({ item: { kind: 'none' }, rev: null, event: { at: this.at(), actor: auditActor(actor), type, data } });
  }

  // ---- departments ---------------------------------------------------------------------------

  async listDepartments(actor: Actor): Promise<{ departments: (Department & { rev: number; users: number })[] }> {
    requireRole(actor, 'admin');
    const [departments, users] = await Promise.all([this.deps.source.stored(), this.deps.store.users()]);
    return {
      departments: departments.map(({ value, rev }) => ({
        ...value,
        rev,
        users: users.filter((u) => u.value.deptCode === value.code && u.value.enabled).length,
      })),
    };
  }

  async createDepartment(actor: Actor, body: CreateDepartment): Promise<Department> {
    requireRole(actor, 'admin');
    const departments = await this.deps.source.stored();
    if (departments.some((d) => d.value.code === body.code))
      throw ValidationError.field('code', `code ${body.code} is taken (codes never change or return, even after a department is retired)`);
    if (departments.some((d) => !d.value.retired && d.value.name === body.name))
      throw ValidationError.field('name', `a department is already called ${body.name}`);
    const dept: Department = { code: body.code, name: body.name, retired: false, updatedAt: this.at() };
    await this.record({
      item: { kind: 'department', value: dept },
      rev: null,
      event: { at: this.at(), actor: auditActor(actor), type: 'department.created', data: { code: dept.code, after: { name: dept.name } } },
    });
    return dept;
  }

  async renameDepartment(actor: Actor, code: string, { name }: RenameDepartment): Promise<Department> {
    requireRole(actor, 'admin');
    const departments = await this.deps.source.stored();
    const current = departments.find((d) => d.value.code === code);
    if (!current) throw new NotFoundError('department', code);
    if (departments.some((d) => d.value.code !== code && !d.value.retired && d.value.name === name))
      throw ValidationError.field('name', `a department is already called ${name}`);
    const dept: Department = { ...current.value, name, updatedAt: this.at() };
    await this.record({
      item: { kind: 'department', value: dept },
      rev: current.rev,
      event: { at: this.at(), actor: auditActor(actor), type: 'department.renamed', data: { code, before: { name: current.value.name }, after: { name } } },
    });
    return dept;
  }

  /**
   * Retires a department: no new assignments or users; its cases, history and accused-unit matching
   * stay, and its open cases stay with it until a director reassigns them. Its enabled users must
   * be moved or disabled first (a user of a retired department would sign in to nothing).
   */
  async retireDepartment(actor: Actor, code: string): Promise<Department> {
    requireRole(actor, 'admin');
    const departments = await this.deps.source.stored();
    const current = departments.find((d) => d.value.code === code);
    if (!current) throw new NotFoundError('department', code);
    if (current.value.retired) return current.value;
    const active = (await this.deps.store.users()).filter((u) => u.value.enabled && u.value.deptCode === code);
    if (active.length > 0)
      throw new RuleViolationError(`部门仍有 ${active.length} 名启用的用户：请先调整或停用`, { users: active.map((u) => u.value.username) });
    const dept: Department = { ...current.value, retired: true, updatedAt: this.at() };
    await this.record({
      item: { kind: 'department', value: dept },
      rev: current.rev,
      event: { at: this.at(), actor: auditActor(actor), type: 'department.retired', data: { code, before: { retired: false }, after: { retired: true } } },
    });
    return dept;
  }

  // ---- categories (分类管理) ------------------------------------------------------------------

  async listCategories(actor: Actor): Promise<{ categories: Category[]; rev: number }> {
    requireRole(actor, 'admin');
    const { value, rev } = await this.deps.source.storedCategories();
    return { categories: value, rev };
  }

  /** Adds a category, or with `parent` a subcategory; its code is fixed for ever and never reused. */
  async createCategory(actor: Actor, body: CreateCategory): Promise<{ categories: Category[]; rev: number }> {
    requireRole(actor, 'admin');
    const current = await this.deps.source.storedCategories();
    const next = withAdded(current.value, body);
    if ('issue' in next) throw ValidationError.field(...next.issue);
    const code = body.parent ? `${body.parent}.${body.code}` : body.code;
    return this.saveCategories(actor, current, next.categories, 'category.created', { code, after: { name: body.name } });
  }

  /** `code`: a category path as the route's parameter parsed it (CATEGORY_PATH). */
  async renameCategory(actor: Actor, code: string, { name }: RenameCategory): Promise<{ categories: Category[]; rev: number }> {
    requireRole(actor, 'admin');
    const current = await this.deps.source.storedCategories();
    if (nameTaken(current.value, code, name))
      throw ValidationError.field('name', `${splitCategoryPath(code).sub ? 'a subcategory' : 'a category'} is already called ${name}`);
    const changed = withChanged(current.value, code, (e) => ({ ...e, name }));
    if (!changed) throw new NotFoundError('category', code);
    if (changed.before.name === name) return { categories: current.value, rev: current.rev };
    return this.saveCategories(actor, current, changed.categories, 'category.renamed', { code, before: { name: changed.before.name }, after: { name } });
  }

  /** Retires a category (no form offers its subcategories then) or a subcategory: old cases and reports keep it. */
  async retireCategory(actor: Actor, code: string): Promise<{ categories: Category[]; rev: number }> {
    requireRole(actor, 'admin');
    const current = await this.deps.source.storedCategories();
    const changed = withChanged(current.value, code, (e) => ({ ...e, retired: true }));
    if (!changed) throw new NotFoundError('category', code);
    if (changed.before.retired) return { categories: current.value, rev: current.rev };
    if (!splitCategoryPath(code).sub && changed.categories.filter((c) => !c.retired).length === 0) throw new RuleViolationError('至少保留一个在用的问题类别');
    return this.saveCategories(actor, current, changed.categories, 'category.retired', { code, before: { retired: false }, after: { retired: true } });
  }

  private async saveCategories(
    actor: Actor,
    current: Versioned<Category[]>,
    next: Category[],
    type: string,
    data: Record<string, unknown>,
  ): Promise<{ categories: Category[]; rev: number }> {
    await this.record({ item: { kind: 'categories', value: next }, rev: current.rev, event: { at: this.at(), actor: auditActor(actor), type, data } });
    await this.deps.source.refresh();
    return { categories: next, rev: current.rev + 1 };
  }

  // ---- users ---------------------------------------------------------------------------------

  async listUsers(actor: Actor): Promise<{ users: UserView[] }> {
    requireRole(actor, 'admin');
    const users = await this.deps.store.users();
    return { users: users.map(userView).sort((a, b) => a.username.localeCompare(b.username)) };
  }

  async createUser(actor: Actor, body: CreateUser): Promise<UserView> {
    requireRole(actor, 'admin');
    await this.checkDepartment(body);
    if (await this.deps.store.user(body.username)) throw ValidationError.field('username', `login ${body.username} is taken`);
    const profile: Omit<DirectoryUser, 'sub'> = {
      username: body.username,
      displayName: body.displayName,
      role: body.role,
      ...(body.deptCode ? { deptCode: body.deptCode } : {}),
      ...(body.phone ? { phone: body.phone } : {}),
      ...(body.email ? { email: body.email } : {}),
      enabled: true,
      updatedAt: this.at(),
    };
    const { sub } = await this.deps.identity.createUser(profile);
    const user: DirectoryUser = { ...profile, sub };
    await this.record({
      item: { kind: 'user', value: user },
      rev: null,
      event: {
        at: this.at(),
        actor: auditActor(actor),
        type: 'user.created',
        data: { username: user.username, after: auditable(user) ?? null } as Record<string, unknown>,
      },
    });
    return userView({ value: user, rev: 1 });
  }

  async updateUser(actor: Actor, username: string, change: UpdateUser): Promise<UserView> {
    requireRole(actor, 'admin');
    const current = await this.userOf(username);
    const next: DirectoryUser = { ...updatedUser(current.value, change), updatedAt: this.at() };
    await this.checkDepartment(next);
    if (next.username === actor.username && next.role !== 'admin') throw new RuleViolationError('不能取消自己的系统管理员角色');
    const diff = changedFields(auditable(current.value), auditable(next));
    if (Object.keys(diff).length === 0) return userView(current);
    await this.deps.identity.updateUser(current.value, next);
    await this.record({
      item: { kind: 'user', value: next },
      rev: current.rev,
      event: { at: this.at(), actor: auditActor(actor), type: 'user.changed', data: { username, changes: diff } as Record<string, unknown> },
    });
    return userView({ value: next, rev: current.rev + 1 });
  }

  async setEnabled(actor: Actor, username: string, enabled: boolean): Promise<UserView> {
    requireRole(actor, 'admin');
    const current = await this.userOf(username);
    if (username === actor.username && !enabled) throw new RuleViolationError('不能停用自己的账号');
    if (current.value.enabled === enabled) return userView(current);
    if (enabled) await this.checkDepartment(current.value);
    const next: DirectoryUser = { ...current.value, enabled, updatedAt: this.at() };
    await this.deps.identity.setEnabled(username, enabled);
    await this.record({
      item: { kind: 'user', value: next },
      rev: current.rev,
      event: {
        at: this.at(),
        actor: auditActor(actor),
        type: enabled ? 'user.enabled' : 'user.disabled',
        data: { username, before: { enabled: !enabled }, after: { enabled } },
      },
    });
    return userView({ value: next, rev: current.rev + 1 });
  }

  // ---- office settings (系统设置) -------------------------------------------------------------

  async getSettings(actor: Actor) {
    requireRole(actor, 'admin');
    const { configured } = this.settingsDeps();
    const override = await this.deps.store.settingsOverride();
    return {
      settings: editableView(settingsWith(configured, override?.value ?? {})),
      configured: editableView(configured),
      override: override?.value ?? {},
      rev: override?.rev ?? 0,
    };
  }

  /**
   * Lays the sections given over the override kept so far (a section given replaces that section's
   * fields), validates the result with the schema that reads the settings, and stores it with its
   * audit event. `ifMatch` is the `rev` the admin read (428 without it, 409 when stale). In force
   * at once in this process, in every other within `directoryCacheSeconds`; a change of the sweep
   * policy writes the open clocks' sweep entries again, so the next sweep follows it. A new
   * case-number prefix takes effect from a later year only and renumbers nothing.
   */
  async putSettings(actor: Actor, body: SettingsOverride, ifMatch?: number) {
    requireRole(actor, 'admin');
    const { configured } = this.settingsDeps();
    if (ifMatch === undefined) throw new DomainError('PRECONDITION_REQUIRED', 'Send the rev of the settings you read as If-Match');
    const current = await this.deps.store.settingsOverride();
    if ((current?.rev ?? 0) !== ifMatch)
      throw new ConflictError('The settings were changed by someone else; reload and try again', { expected: ifMatch, current: current?.rev ?? 0 });
    const before = current?.value ?? {};
    const next: SettingsOverride = { ...before };
    for (const section of ['sweep', 'archive', 'letters'] as const) if (body[section]) next[section] = { ...before[section], ...body[section] };
    if (body.maxUploadBytes !== undefined) next.maxUploadBytes = body.maxUploadBytes;
    if (body.caseNumberPrefixes !== undefined) next.caseNumberPrefixes = body.caseNumberPrefixes;
    checkPrefixChange(
      settingsWith(configured, before).caseNumberPrefixes,
      settingsWith(configured, next).caseNumberPrefixes,
      Number(shanghaiDate(this.deps.clock.now()).slice(0, 4)),
    );
    const was = editableView(settingsWith(configured, before));
    const now = editableView(settingsWith(configured, next));
    const changes = changedFields(flatten(was), flatten(now));
    if (Object.keys(changes).length > 0) {
      await this.record({
        item: { kind: 'settings', value: next },
        rev: current?.rev ?? null,
        event: { at: this.at(), actor: auditActor(actor), type: 'settings.changed', data: { changes } as Record<string, unknown> },
      });
      this.deps.source.invalidate();
      await this.deps.source.refresh();
      if (Object.keys(changes).some((k) => k.startsWith('sweep.'))) await this.deps.rekey?.();
    }
    return this.getSettings(actor);
  }

  private settingsDeps(): { configured: OfficeSettings } {
    if (!this.deps.settings) throw new Error('OfficeAdmin was built without the office settings');
    return this.deps.settings;
  }

  // ---- the office audit trail ----------------------------------------------------------------

  async auditTrail(actor: Actor, opts: { before?: number; limit: number }): Promise<{ events: OfficeAuditView[]; next?: number }> {
    requireRole(actor, 'admin');
    const [events, users] = await Promise.all([this.deps.store.auditEvents(opts), this.deps.store.users()]);
    const names = new Map(users.map((u) => [u.value.username, u.value.displayName]));
    const views = events.map((e): OfficeAuditView => ({
      seq: e.seq,
      at: e.at,
      type: e.type,
      actor:
        'username' in e.actor
          ? { username: e.actor.username, displayName: names.get(e.actor.username) ?? e.actor.username }
          : { system: 'system' in e.actor ? e.actor.system : 'public' },
      data: e.data,
    }));
    const last = views.at(-1);
    return { events: views, ...(views.length === opts.limit && last && last.seq > 1 ? { next: last.seq } : {}) };
  }

  /**
   * 立即校验: the office trail's hash chain verified now (office-audit.ts), as the fixity
   * check's 立即检查 does for the archive: the check itself is no office change, so it is not
   * an event of the trail; what it found is answered (and logged by the function).
   */
  async verifyAuditTrail(actor: Actor): Promise<OfficeAuditVerification> {
    requireRole(actor, 'admin');
    return verifyOfficeTrail(this.deps.store, this.at());
  }

  private async userOf(username: string): Promise<Versioned<DirectoryUser>> {
    const user = await this.deps.store.user(username);
    if (!user) throw new NotFoundError('user', username);
    return user;
  }

  private async checkDepartment(user: Pick<DirectoryUser, 'role' | 'deptCode'>): Promise<void> {
    const departments = await this.deps.source.stored();
    const problem = userProblem(
      user,
      departments.map((d) => d.value),
    );
    if (problem) throw ValidationError.field(problem[0], problem[1]);
  }
}

/** `{ sweep: { flaggedAfterDays: 10 } }` → `{ 'sweep.flaggedAfterDays': 10 }`: one audit entry per setting. */
function flatten(view: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(view)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [f, x] of Object.entries(v)) out[`${k}.${f}`] = x;
    else out[k] = v;
  }
  return out;
}

/** A person as every screen shows them: display name, role, department (no phone, no email). */
export interface Person {
  username: string;
  displayName: string;
  role: DirectoryUser['role'];
  deptCode?: string;
}

/** Everyone of the office, for showing a person by name where a record keeps their login (GET /people). */
export async function people(store: Pick<OfficeStore, 'users'>, actor: Actor): Promise<{ people: Person[] }> {
  if (actor.roles.length === 0) throw new ForbiddenError('Signed in, but with no role');
  const users = await store.users();
  return {
    people: users.map(({ value: u }) => ({ username: u.username, displayName: u.displayName, role: u.role, ...(u.deptCode ? { deptCode: u.deptCode } : {}) })),
  };
}
