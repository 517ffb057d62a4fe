/**
 * The dashboard's counters over the single table (shared/domain/dashboard.ts names the tallies,
 * shared/storage/sweep-keys.ts keys them): each case keeps what it adds to the counters in its own
 * partition (`clockKeys`, `supKeys`; absent: not counted yet, until the backfill counts it), and
 * every write that changes it moves the counters by the difference in the same transaction,
 * conditional on the stored value it read. So a transaction that fails or is retried moves nothing,
 * and a write racing the backfill cannot count a case twice.
 *
 * Also the list entries of the running dashboard clocks (byDepartment `DASH#<group>#CLOCKS`),
 * written on the clock items with what a list shows.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../domain/case';
import type { ClockKind } from '../domain/clocks';
import { clockTallies, dashboardDepartment, groupOf, sameTallies, tallyDelta } from '../domain/dashboard';
import { CLOCK_LABELS, DASHBOARD_CLOCKS } from '../domain/sweep';
import { key } from '../storage/keys';
import { dashboardIndex, dashboardKey } from '../storage/sweep-keys';
import type { Item, TransactItem } from './dynamo-support';

export type TallyPart = 'clock' | 'sup';

/** What a case adds to the counters as stored (null: not counted yet). */
export interface StoredTallies {
  clock: string[] | null;
  sup: string[] | null;
}

const ATTRIBUTE: Record<TallyPart, string> = { clock: 'clockKeys', sup: 'supKeys' };
const SEP = '|';

function encode(keys: readonly string[]): string {
  return [...keys].sort().join(SEP);
}

function decode(v: unknown): string[] | null {
  if (typeof v !== 'string') return null;
  return v === '' ? [] : v.split(SEP);
}

export function parseStoredTallies(item: Item | undefined): StoredTallies {
  return { clock: decode(item?.clockKeys), sup: decode(item?.supKeys) };
}

/** The case's stored tallies (a consistent read). */
export async function readTallies(db: DynamoDBDocumentClient, tableName: string, caseNo: string): Promise<StoredTallies> {
  const out = await db.send(
    new GetCommand({ TableName: tableName, Key: dashboardKey.caseTallies(caseNo), ConsistentRead: true, ProjectionExpression: 'clockKeys, supKeys' }),
  );
  return parseStoredTallies(out.Item);
}

/** Whether a case write changes the clock tallies (only then it reads and writes them). */
export function clockTalliesChange(before: Case | null, after: Case): boolean {
  return !sameTallies(before ? clockTallies(before) : [], clockTallies(after));
}

/** One part of a case's tallies to write: as read (`stored`, null: not counted) and as it is to be (`next`). */
export interface TallyChange {
  stored: string[] | null;
  next: readonly string[];
}

/**
 * The writes that make parts of a case's tallies `next`: the case's tally item (one update,
 * conditional on each part as read) and the counters moved by the difference. Nothing when
 * nothing moves.
 */
export function tallyWrites(tableName: string, caseNo: string, parts: Partial<Record<TallyPart, TallyChange>>): TransactItem[] {
  const changed = (Object.entries(parts) as [TallyPart, TallyChange][]).filter(([, p]) => p.stored === null || !sameTallies(p.stored, p.next));
  if (changed.length === 0) return [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':entity': 'case-tallies', ':caseNo': caseNo };
  const set = ['entity = :entity', 'caseNo = :caseNo'];
  const conditions: string[] = [];
  const counters: TransactItem[] = [];
  for (const [part, p] of changed) {
    names[`#${part}`] = ATTRIBUTE[part];
    values[`:${part}`] = encode(p.next);
    set.push(`#${part} = :${part}`);
    if (p.stored === null) conditions.push(`attribute_not_exists(#${part})`);
    else {
      values[`:${part}Stored`] = encode(p.stored);
      conditions.push(`#${part} = :${part}Stored`);
    }
    for (const [name, d] of tallyDelta(p.stored ?? [], p.next)) counters.push(counterMove(tableName, name, d));
  }
  return [
    {
      Update: {
        TableName: tableName,
        Key: dashboardKey.caseTallies(caseNo),
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    ...counters,
  ];
}

export function counterMove(tableName: string, name: string, d: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: dashboardKey.tally(name),
      UpdateExpression: 'ADD #n :d SET entity = :entity',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':d': d, ':entity': 'dashboard-tally' },
    },
  };
}

/** The list entry of a clock item: while it is a running dashboard clock, in its group's partition, with what a list shows. */
export function clockEntryAttributes(c: Pick<Case, 'caseNo' | 'status' | 'deptCode' | 'subject' | 'clocks'>, kind: ClockKind): Item {
  const clock = c.clocks[kind];
  if (!clock || clock.status !== 'running' || !DASHBOARD_CLOCKS.includes(kind)) return {};
  return {
    byDepartmentPk: dashboardIndex.clocks(groupOf(dashboardDepartment(c, kind))),
    byDepartmentSk: dashboardIndex.clockSk(clock.due, c.caseNo, kind),
    subject: c.subject,
    caseStatus: c.status,
    label: clock.derivation.label ?? CLOCK_LABELS[kind],
  };
}

/**
 * The tally items of cases as their writes leave them, and the counters summed over them (cases
 * without supervisions): a table seeded in bulk (the benchmarks), where no transaction ran.
 */
export function seededTallyItems(cases: readonly Case[]): Item[] {
  const counters = new Map<string, number>();
  const items: Item[] = cases.map((c) => {
    const keys = clockTallies(c);
    for (const k of keys) counters.set(k, (counters.get(k) ?? 0) + 1);
    return { ...dashboardKey.caseTallies(c.caseNo), entity: 'case-tallies', caseNo: c.caseNo, clockKeys: encode(keys), supKeys: '' };
  });
  for (const [name, n] of counters) items.push({ ...dashboardKey.tally(name), entity: 'dashboard-tally', n });
  return items;
}

const ENTRY_ATTRIBUTES = ['byDepartmentPk', 'byDepartmentSk', 'subject', 'caseStatus', 'label'] as const;

/** The change of a clock item's list entry alone (the clock itself unchanged): attributes to set and to remove. */
export interface EntryChange {
  kind: ClockKind;
  set: Item;
  remove: string[];
}

/**
 * The clocks whose clock is unchanged but whose list entry changed (the case moved to another
 * department or status, its subject was corrected): written as an update of the entry's attributes
 * alone, so the sweep's keys on the item stay as the sweep left them.
 */
export function clockEntryChanges(c: Case, before: Case): EntryChange[] {
  return (Object.keys(c.clocks) as ClockKind[]).flatMap((kind) => {
    if (JSON.stringify(before.clocks[kind]) !== JSON.stringify(c.clocks[kind])) return [];
    const was = clockEntryAttributes(before, kind);
    const now = clockEntryAttributes(c, kind);
    if (JSON.stringify(was) === JSON.stringify(now)) return [];
    return [{ kind, set: now, remove: ENTRY_ATTRIBUTES.filter((a) => now[a] === undefined && was[a] !== undefined) }];
  });
}

/** An entry change as the parts of an UpdateExpression (names `#e_<attr>`, values `:e_<attr>`). */
export function entryChangeExpression(change: EntryChange): { set: string[]; remove: string[]; names: Record<string, string>; values: Item } {
  const names: Record<string, string> = {};
  const values: Item = {};
  const set = Object.entries(change.set).map(([a, v]) => {
    names[`#e_${a}`] = a;
    values[`:e_${a}`] = v;
    return `#e_${a} = :e_${a}`;
  });
  const remove = change.remove.map((a) => {
    names[`#e_${a}`] = a;
    return `#e_${a}`;
  });
  return { set, remove, names, values };
}

export function entryChangeUpdate(tableName: string, caseNo: string, change: EntryChange): TransactItem {
  const e = entryChangeExpression(change);
  return {
    Update: {
      TableName: tableName,
      Key: key.clock(caseNo, change.kind),
      UpdateExpression: [e.set.length > 0 ? `SET ${e.set.join(', ')}` : '', e.remove.length > 0 ? `REMOVE ${e.remove.join(', ')}` : ''].join(' ').trim(),
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: e.names,
      ...(Object.keys(e.values).length > 0 ? { ExpressionAttributeValues: e.values } : {}),
    },
  };
}
