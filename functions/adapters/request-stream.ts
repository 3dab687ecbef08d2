import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ApprovalRequest } from '../domain/approval';
import { entity, withoutStorage } from './keys';

type Image = Record<string, AttributeValue>;
type Unmarshall = (image: Image) => Record<string, unknown>;

let unmarshalling: Promise<Unmarshall> | undefined;
/** The SDK's converter, loaded by the first record rather than at cold start (see lazy-client.ts). */
const unmarshaller = () =>
  (unmarshalling ??= import('@aws-sdk/util-dynamodb').then(({ unmarshall }) => (image: Image) => unmarshall(image as never, { wrapNumbers: false })));

const requestOf = (image: Record<string, unknown> | null): ApprovalRequest | null =>
  image && image.entity === entity.request ? withoutStorage<ApprovalRequest>(image) : null;

/** One change of a request item from the records table's stream: the request before and after it. */
export interface RequestChangeRecord {
  /** The record's sequence number: what Lambda is told to deliver again from (ReportBatchItemFailures). */
  sequenceNumber: string;
  before: ApprovalRequest | null;
  after: ApprovalRequest | null;
}

/** Reads a stream record (NEW_AND_OLD_IMAGES) of the records table; null when it is not of a request. */
export async function requestChangeOf(record: DynamoDBRecord): Promise<RequestChangeRecord | null> {
  const change = record.dynamodb;
  if (!change?.SequenceNumber) return null;
  const unmarshall = await unmarshaller();
  const before = requestOf(change.OldImage ? unmarshall(change.OldImage) : null);
  const after = requestOf(change.NewImage ? unmarshall(change.NewImage) : null);
  return before || after ? { sequenceNumber: change.SequenceNumber, before, after } : null;
}
