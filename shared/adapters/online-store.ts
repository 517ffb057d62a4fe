/**
 * The online petitions' short-lived items over the single table (keys: shared/storage/online-keys.ts):
 * rate-limit counters (a conditional ADD per window, no read first, no Scan) and SMS codes (hashed,
 * with a count of wrong tries); both expire by the table's TTL.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimit } from '../domain/online';
import { rateWindow } from '../domain/online';
import type { RateCheck, RateLimiter, SmsCodeCheck, SmsCodeStore } from '../app/online-ports';
import { onlineKey } from '../storage/online-keys';
import { isConditionFailure } from './dynamo-support';

/** Items outlive their window by a day before DynamoDB's TTL removes them (TTL is not exact). */
const TTL_SLACK_SEC = 86_400;

export class DynamoDbOnlineStore implements RateLimiter, SmsCodeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(bucket: string, subject: string, limit: RateLimit, now: Date): Promise<RateCheck> {
    const window = rateWindow(now, limit.windowSeconds);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: onlineKey.rate(bucket, subject, window.start),
          UpdateExpression: 'ADD hits :one SET entity = :entity, expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit.limit,
            ':entity': 'rate',
            ':ttl': Math.floor(window.endsAt.getTime() / 1000) + TTL_SLACK_SEC,
          },
        }),
      );
      return { allowed: true, retryAfterSeconds: window.secondsLeft };
    } catch (err) {
      if (isConditionFailure(err)) return { allowed: false, retryAfterSeconds: window.secondsLeft };
      throw err;
    }
  }

  async claimOnce(kind: string, subject: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...onlineKey.once(kind, subject), entity: 'once', expiresAt: Math.floor(expiresAt.getTime() / 1000) + TTL_SLACK_SEC },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async save(phoneKey: string, codeHash: string, expiresAt: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...onlineKey.smsCode(phoneKey),
          entity: 'sms-code',
          codeHash,
          attempts: 0,
          validUntil: expiresAt.getTime(),
          expiresAt: Math.floor(expiresAt.getTime() / 1000) + TTL_SLACK_SEC,
        },
      }),
    );
  }

  async consume(phoneKey: string, codeHash: string, maxAttempts: number, now: Date): Promise<SmsCodeCheck> {
    const Key = onlineKey.smsCode(phoneKey);
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    if (!Item || typeof Item.codeHash !== 'string' || Number(Item.validUntil) < now.getTime()) return 'none';
    if (Number(Item.attempts) >= maxAttempts) return 'locked';
    if (Item.codeHash === codeHash) {
      try {
        // Once: the delete is conditional on the code read, so two submissions with one code get one 'ok'.
        await this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key,
            ConditionExpression: 'codeHash = :h AND attempts < :max',
            ExpressionAttributeValues: { ':h': codeHash, ':max': maxAttempts },
          }),
        );
        return 'ok';
      } catch (err) {
        if (isConditionFailure(err)) return 'none';
        throw err;
      }
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'codeHash = :h',
          ExpressionAttributeValues: { ':one': 1, ':h': Item.codeHash },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    return Number(Item.attempts) + 1 >= maxAttempts ? 'locked' : 'wrong';
  }
}
