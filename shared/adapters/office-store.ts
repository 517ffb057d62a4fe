/**
 * The office's directory and its audit trail in the single table (shared/storage/office-keys.ts):
 * departments and users as items with a revision, each admin change written in one transaction
 * with the next event of the office chain (the head item moves conditionally, as a case's does).
 * Every read is a GetItem or a Query on one partition; items are parsed with zod as they come back.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditEventSchema, type AuditEvent } from '../domain/audit';
import { ConflictError } from '../domain/errors';
import { CategoriesSchema, type Category } from '../domain/categories';
import { DepartmentSchema, DirectoryUserSchema, type Department, type DirectoryUser } from '../domain/directory';
import { SettingsOverrideSchema, type SettingsOverride } from '../domain/settings';
import { OFFICE_PARTITION, officeAuditThrough, officeKey } from '../storage/office-keys';
import { type OfficeChange, type OfficeStore, type Versioned } from '../app/directory-ports';
import { backoff, cancellationReasons, queryAll, type Item, type TransactItem } from './dynamo-support';

const ATTEMPTS = 16;

export class DynamoDbOfficeStore implements OfficeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async departments(): Promise<{ seeded: boolean; departments: Versioned<Department>[] }> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': OFFICE_PARTITION.departments.pk },
      ConsistentRead: true,
    });
    const seeded = items.some((i) => i.sk === officeKey.seeded().sk);
    const departments = items
      .filter((i) => String(i.sk).startsWith(OFFICE_PARTITION.departments.skPrefix))
      .map((i) => ({ value: DepartmentSchema.parse(i.department), rev: Number(i.rev) }));
    return { seeded, departments };
  }

  async seedDepartments(departments: Department[], at: string): Promise<void> {
    // 99 departments and the marker fit one transaction; an office with more seeds the rest by hand.
    const items: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: { ...officeKey.seeded(), entity: 'directory-seeded', at }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...departments.slice(0, 99).map((d) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...officeKey.department(d.code), entity: 'department', rev: 1, department: DepartmentSchema.parse({ ...d, updatedAt: at }) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      // Seeded meanwhile by another process (or a department already stored): what is there stays.
      if (!(err instanceof TransactionCanceledException)) throw err;
    }
  }

  async user(username: string): Promise<Versioned<DirectoryUser> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: officeKey.user(username), ConsistentRead: true }));
    return out.Item ? { value: DirectoryUserSchema.parse(out.Item.user), rev: Number(out.Item.rev) } : undefined;
  }

  async users(): Promise<Versioned<DirectoryUser>[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': OFFICE_PARTITION.users.pk, ':prefix': OFFICE_PARTITION.users.skPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => ({ value: DirectoryUserSchema.parse(i.user), rev: Number(i.rev) }));
  }

  async categories(): Promise<Versioned<Category[]> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: officeKey.categories(), ConsistentRead: true }));
    return out.Item ? { value: CategoriesSchema.parse(out.Item.categories), rev: Number(out.Item.rev) } : undefined;
  }

  async seedCategories(categories: Category[], at: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...officeKey.categories(), entity: 'categories', rev: 1, categories: CategoriesSchema.parse(categories), seededAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      // Seeded meanwhile by another process, or kept by the admin since: what is there stays.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async settingsOverride(): Promise<Versioned<SettingsOverride> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: officeKey.settings(), ConsistentRead: true }));
    return out.Item ? { value: SettingsOverrideSchema.parse(out.Item.settings), rev: Number(out.Item.rev) } : undefined;
  }

  /**
   * Stores users as they are (the local stack's demo users on first start); existing ones stay.
   * One conditional put per user, all in flight at once (each a key of its own): one after the
   * other they cost a third of a second at every `npm start` (issue 18 item 14).
   */
  async seedUsers(users: DirectoryUser[]): Promise<number> {
    const added = await Promise.all(
      users.map(async (u) => {
        try {
          await this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: this.tableName,
                    Item: { ...officeKey.user(u.username), entity: 'user', rev: 1, user: DirectoryUserSchema.parse(u) },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          );
          return 1;
        } catch (err) {
          if (!(err instanceof TransactionCanceledException)) throw err;
          return 0;
        }
      }),
    );
    return added.reduce<number>((a, b) => a + b, 0);
  }

  async commit(change: OfficeChange, chain: (prev: { seq: number; hash: string } | null) => AuditEvent): Promise<AuditEvent> {
    const write = this.itemWrite(change);
    for (let attempt = 1; ; attempt++) {
      const head = await this.db.send(new GetCommand({ TableName: this.tableName, Key: officeKey.auditHead(), ConsistentRead: true }));
      const seq = Number(head.Item?.seq ?? 0);
      const event = chain(seq > 0 ? { seq, hash: String(head.Item?.hash) } : null);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...officeKey.auditHead(), entity: 'office-audit-head', seq: event.seq, hash: event.hash },
                  ConditionExpression: seq > 0 ? 'seq = :seq' : 'attribute_not_exists(pk)',
                  ...(seq > 0 ? { ExpressionAttributeValues: { ':seq': seq } } : {}),
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...officeKey.auditEvent(event.seq), entity: 'office-audit', event },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...(write ? [write] : []),
            ],
          }),
        );
        return event;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        if (cancellationReasons(err)[2] === 'ConditionalCheckFailed')
          throw new ConflictError(
            `${change.item.kind === 'department' ? `Department ${change.item.value.code}` : change.item.kind === 'settings' ? 'The settings' : change.item.kind === 'categories' ? 'The categories' : 'The user'} was changed by someone else; reload and try again`,
          );
        if (attempt >= ATTEMPTS) throw err;
        await backoff(attempt);
      }
    }
  }

  async auditEvents(opts: { before?: number; limit: number }): Promise<AuditEvent[]> {
    const upper = officeAuditThrough(opts.before);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': OFFICE_PARTITION.audit.pk, ':from': OFFICE_PARTITION.audit.skPrefix, ':to': upper },
        ScanIndexForward: false,
        Limit: opts.limit + 1,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? [])
      .map((i) => AuditEventSchema.parse(i.event) as AuditEvent)
      .filter((e) => opts.before === undefined || e.seq < opts.before)
      .slice(0, opts.limit);
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    const head = await this.db.send(new GetCommand({ TableName: this.tableName, Key: officeKey.auditHead(), ConsistentRead: true }));
    return head.Item ? { seq: Number(head.Item.seq), hash: String(head.Item.hash) } : undefined;
  }

  /** One Query page of the trail's partition, in seq order; the cursor is the sort key of the last event read. */
  async rawAuditEvents(opts: { cursor?: string; limit: number }): Promise<{ events: unknown[]; cursor?: string }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': OFFICE_PARTITION.audit.pk, ':prefix': OFFICE_PARTITION.audit.skPrefix },
        ...(opts.cursor ? { ExclusiveStartKey: { pk: OFFICE_PARTITION.audit.pk, sk: opts.cursor } } : {}),
        Limit: opts.limit,
        ConsistentRead: true,
      }),
    );
    const last = out.LastEvaluatedKey?.sk;
    return { events: (out.Items ?? []).map((i: Item) => i.event), ...(typeof last === 'string' ? { cursor: last } : {}) };
  }

  private itemWrite(change: OfficeChange): TransactItem | undefined {
    const { item, rev } = change;
    if (item.kind === 'none') return undefined;
    const stored =
      item.kind === 'department'
        ? { ...officeKey.department(item.value.code), entity: 'department', department: DepartmentSchema.parse(item.value) }
        : item.kind === 'settings'
          ? { ...officeKey.settings(), entity: 'settings', settings: SettingsOverrideSchema.parse(item.value) }
          : item.kind === 'categories'
            ? { ...officeKey.categories(), entity: 'categories', categories: CategoriesSchema.parse(item.value) }
            : { ...officeKey.user(item.value.username), entity: 'user', user: DirectoryUserSchema.parse(item.value) };
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...stored, rev: (rev ?? 0) + 1 },
        ConditionExpression: rev === null ? 'attribute_not_exists(pk)' : 'rev = :rev',
        ...(rev === null ? {} : { ExpressionAttributeValues: { ':rev': rev } }),
      },
    };
  }
}
