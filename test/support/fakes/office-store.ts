/**
 * An in-memory OfficeStore (shared/app/directory-ports.ts) for unit tests of the office's
 * administration: items with a revision, each change conditional on the one it read and committed
 * with the next event of the office chain, as DynamoDbOfficeStore does.
 */
import type { AuditEvent } from '../../../shared/domain/audit';
import type { Category } from '../../../shared/domain/categories';
import { ConflictError } from '../../../shared/domain/errors';
import type { Department, DirectoryUser } from '../../../shared/domain/directory';
import type { SettingsOverride } from '../../../shared/domain/settings';
import type { OfficeChange, OfficeStore, Versioned } from '../../../shared/app/directory-ports';

const copy = <T>(v: T): T => structuredClone(v);

export class FakeOfficeStore implements OfficeStore {
  seeded = false;
  readonly departmentItems = new Map<string, Versioned<Department>>();
  readonly userItems = new Map<string, Versioned<DirectoryUser>>();
  categoryItem: Versioned<Category[]> | undefined;
  settingsItem: Versioned<SettingsOverride> | undefined;
  /** The trail as stored, in key order; a test may alter or remove an event here, as someone with table access could. */
  readonly events: AuditEvent[] = [];
  /** The head item, kept apart from the events as the table keeps it. */
  head: { seq: number; hash: string } | undefined;
  /** The pages read by {@link rawAuditEvents}, for a test that the trail is read in pages. */
  rawPages = 0;

  departments(): Promise<{ seeded: boolean; departments: Versioned<Department>[] }> {
    return Promise.resolve({ seeded: this.seeded, departments: copy([...this.departmentItems.values()]) });
  }

  seedDepartments(departments: Department[], at: string): Promise<void> {
    if (!this.seeded) {
      this.seeded = true;
      for (const d of departments) if (!this.departmentItems.has(d.code)) this.departmentItems.set(d.code, { value: { ...d, updatedAt: at }, rev: 1 });
    }
    return Promise.resolve();
  }

  user(username: string): Promise<Versioned<DirectoryUser> | undefined> {
    return Promise.resolve(copy(this.userItems.get(username)));
  }

  users(): Promise<Versioned<DirectoryUser>[]> {
    return Promise.resolve(copy([...this.userItems.values()]));
  }

  categories(): Promise<Versioned<Category[]> | undefined> {
    return Promise.resolve(copy(this.categoryItem));
  }

  seedCategories(categories: Category[]): Promise<void> {
    this.categoryItem ??= { value: copy(categories), rev: 1 };
    return Promise.resolve();
  }

  settingsOverride(): Promise<Versioned<SettingsOverride> | undefined> {
    return Promise.resolve(copy(this.settingsItem));
  }

  commit(change: OfficeChange, chain: (prev: { seq: number; hash: string } | null) => AuditEvent): Promise<AuditEvent> {
    const { item, rev } = change;
    const stored = (): Versioned<unknown> | undefined =>
      item.kind === 'department'
        ? this.departmentItems.get(item.value.code)
        : item.kind === 'user'
          ? this.userItems.get(item.value.username)
          : item.kind === 'categories'
            ? this.categoryItem
            : item.kind === 'settings'
              ? this.settingsItem
              : undefined;
    if (item.kind !== 'none') {
      const current = stored();
      if (rev === null ? current !== undefined : current?.rev !== rev) return Promise.reject(new ConflictError(`The ${item.kind} was changed by someone else`));
    }
    const last = this.events.at(-1);
    const event = chain(last ? { seq: last.seq, hash: last.hash } : null);
    const next = (rev ?? 0) + 1;
    if (item.kind === 'department') this.departmentItems.set(item.value.code, { value: copy(item.value), rev: next });
    if (item.kind === 'user') this.userItems.set(item.value.username, { value: copy(item.value), rev: next });
    if (item.kind === 'categories') this.categoryItem = { value: copy(item.value), rev: next };
    if (item.kind === 'settings') this.settingsItem = { value: copy(item.value), rev: next };
    this.events.push(event);
    this.head = { seq: event.seq, hash: event.hash };
    return Promise.resolve(copy(event));
  }

  auditEvents(opts: { before?: number; limit: number }): Promise<AuditEvent[]> {
    return Promise.resolve(
      copy(
        [...this.events]
          .reverse()
          .filter((e) => opts.before === undefined || e.seq < opts.before)
          .slice(0, opts.limit),
      ),
    );
  }

  auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    return Promise.resolve(copy(this.head));
  }

  /** Pages of the trail as stored; the cursor is the position after the last event read. */
  rawAuditEvents(opts: { cursor?: string; limit: number }): Promise<{ events: unknown[]; cursor?: string }> {
    this.rawPages += 1;
    const from = opts.cursor ? Number(opts.cursor) : 0;
    const to = from + opts.limit;
    return Promise.resolve({ events: copy(this.events.slice(from, to)), ...(to < this.events.length ? { cursor: String(to) } : {}) });
  }
}
