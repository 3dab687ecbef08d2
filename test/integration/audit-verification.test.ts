import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../functions/adapters/audit-verifier';
import { eventually, fileF1, runtime, signIn } from './support';

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

describe('audit verification', () => {
  it('verifies every chain, and finds an event altered behind the API\'s back', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    await eventually(async () => ((await tanaka.call('GET', `/api/requests/${request.id}`)).body.history.length >= 2 ? true : undefined), 'the stage to open');

    const clean = await verifyAuditLog(db, runtime.tables);
    expect(clean.length).toBeGreaterThan(10);
    expect(clean.filter((r) => r.broken)).toEqual([]);

    // Someone with database access rewrites what the requester submitted.
    await db.send(
      new UpdateCommand({
        TableName: runtime.tables.audit,
        Key: { pk: `request#${request.id}`, seq: 1 },
        UpdateExpression: 'SET #after.#data.purpose = :forged',
        ExpressionAttributeNames: { '#after': 'after', '#data': 'data' },
        ExpressionAttributeValues: { ':forged': '改ざんされた目的' },
      }),
    );
    const reports = await verifyAuditLog(db, runtime.tables);
    const broken = reports.filter((r) => r.broken);
    expect(broken).toEqual([{ record: `request#${request.id}`, events: expect.any(Number), broken: { seq: 1, reason: 'hash' } }]);
  });
});
