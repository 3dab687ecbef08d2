import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record, DynamoDBStreamsClient, Shard } from '@aws-sdk/client-dynamodb-streams';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { assertSupportedPattern, matchesPattern, type EventPattern } from './event-pattern';

/** Props of {@link startStreamEventSource}. */
export interface StreamEventSourceOptions {
  dynamodb: DynamoDBClient;
  /** The DynamoDB Streams client of the same DynamoDB Local. */
  streams: DynamoDBStreamsClient;
  tableName: string;
  region: string;
  /** The event source's filter pattern (as deployed by CDK): other records never reach `invoke`. */
  filter: EventPattern;
  batchSize: number;
  /** Deliveries of a failed batch after the first, before its records are given up. */
  retryAttempts: number;
  /** The function, with the event Lambda builds; its `batchItemFailures` say where to deliver again from. */
  invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** Wait between polls of a shard that had nothing new, in ms (Lambda polls 4 times a second). Default 100. */
  idleMs?: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

export interface StreamEventSource {
  /**
   * Runs `load` — data written behind the product's back, as an import into DynamoDB writes it,
   * which leaves no stream records — and passes over what it wrote: what was written before is
   * delivered first, nothing `load` wrote reaches the function. Writes of anyone else meanwhile
   * are passed over too, so call it when nothing else writes.
   */
  passOver<T>(load: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

interface ShardReader {
  iterator: string | undefined;
  /** The last record handed over (or given up), to read on from after an iterator expires. */
  after: string | undefined;
}

/** A stream record from the Streams API in the shape a Lambda event carries it. */
function lambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: change.ApproximateCreationDateTime ? Math.floor(change.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: change.Keys as never,
      NewImage: change.NewImage as never,
      OldImage: change.OldImage as never,
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType as never,
    },
  };
}

/**
 * What a Lambda event source mapping on a DynamoDB stream does, against DynamoDB Local: it reads the
 * table's stream shard by shard, from the records written after it started (what was stored before
 * is the start-up's to resume), keeps the records the filter matches, and hands them
 * to the function in order, in batches. A batch whose function fails, or reports an item failure, is
 * delivered again from the first failed record with a growing pause, at most `retryAttempts` times;
 * then those records are given up, as Lambda does, and reconciliation has to find them.
 */
export async function startStreamEventSource(options: StreamEventSourceOptions): Promise<StreamEventSource> {
  assertSupportedPattern(options.filter);
  const idleMs = options.idleMs ?? 100;
  const log = options.log ?? (() => undefined);
  let stopped = false;
  let wakeSleeper: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => ((wakeSleeper = undefined), resolve()), ms);
      wakeSleeper = () => (clearTimeout(timer), (wakeSleeper = undefined), resolve());
    });

  const tableStream = async () => {
    const described = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
    const arn = described.Table?.LatestStreamArn;
    if (!arn) throw new Error(`Table ${options.tableName} has no stream`);
    return arn;
  };
  let streamArn = await tableStream();

  /** Every shard seen, open or not; a reader without an iterator has been read to its end. */
  const shards = new Map<string, ShardReader>();
  const listShards = async (): Promise<Shard[]> => {
    const found: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await options.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      found.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return found;
  };
  /** Reads on after the last record seen; a shard none was seen of is read from its start. */
  const iteratorOf = async (shardId: string, reader: ShardReader) =>
    (
      await options.streams.send(
        new GetShardIteratorCommand(
          reader.after
            ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: reader.after }
            : { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
        ),
      )
    ).ShardIterator;
  /**
   * At start-up every record already in the stream is passed over (what was stored before is the
   * start-up's to resume): open shards are read to their end, closed ones not at all. Reading, not
   * LATEST, so that the position is a sequence number to read on from if DynamoDB Local restarts.
   */
  const readToEnd = async (shardId: string, reader: ShardReader) => {
    reader.iterator = await iteratorOf(shardId, reader);
    while (reader.iterator) {
      const page = await options.streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: 1000 }));
      const records = page.Records ?? [];
      if (records.length > 0) reader.after = records[records.length - 1].dynamodb?.SequenceNumber;
      reader.iterator = page.NextShardIterator;
      if (records.length === 0) break;
    }
  };
  for (const shard of await listShards()) {
    const reader: ShardReader = { iterator: undefined, after: undefined };
    shards.set(shard.ShardId!, reader);
    if (!shard.SequenceNumberRange?.EndingSequenceNumber) await readToEnd(shard.ShardId!, reader);
  }
  /**
   * Shards that appear later (the stream rolls over) hold only new records. After DynamoDB Local
   * was unreachable, iterators are taken again from the last record seen; a table whose stream is
   * a new one (its data did not survive) is read from the start of that stream.
   */
  const discover = async (reconnect: boolean) => {
    if (reconnect) {
      const arn = await tableStream();
      if (arn !== streamArn) {
        streamArn = arn;
        shards.clear();
      }
    }
    for (const shard of await listShards()) {
      const id = shard.ShardId!;
      const known = shards.get(id);
      if (known && !(reconnect && known.iterator)) continue;
      const reader = known ?? { iterator: undefined, after: undefined };
      reader.iterator = await iteratorOf(id, reader);
      shards.set(id, reader);
    }
  };

  /** Hands matching records to the function, in order, delivering again from a failure. */
  const deliver = async (records: DynamoDBRecord[]) => {
    let pending = records;
    for (let attempt = 0; pending.length > 0 && !stopped; attempt++) {
      let failedAt = -1;
      try {
        const answer = await options.invoke({ Records: pending });
        const failed = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failedAt = failed.size === 0 ? -1 : pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        // An identifier that names no record of the batch fails the whole batch, as on AWS.
        if (failed.size > 0 && failedAt < 0) failedAt = 0;
      } catch (error) {
        log('stream function failed', { table: options.tableName, error: String(error) });
        failedAt = 0;
      }
      if (failedAt < 0) return;
      pending = pending.slice(failedAt);
      if (attempt >= options.retryAttempts) {
        log('stream records given up after retries', { table: options.tableName, records: pending.length });
        return;
      }
      await sleep(Math.min(200 * 2 ** attempt, 5_000));
    }
  };

  const pollShard = async (id: string, reader: ShardReader): Promise<boolean> => {
    if (!reader.iterator) return false;
    let page;
    try {
      page = await options.streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: options.batchSize }));
    } catch (error) {
      if ((error as Error).name === 'ExpiredIteratorException') {
        reader.iterator = await iteratorOf(id, reader);
        return true;
      }
      throw error;
    }
    const records = page.Records ?? [];
    const matching = records.map((r) => lambdaRecord(r, streamArn, options.region)).filter((r) => matchesPattern(options.filter, r));
    if (matching.length > 0) await deliver(matching);
    if (records.length > 0) reader.after = records[records.length - 1].dynamodb?.SequenceNumber;
    reader.iterator = page.NextShardIterator;
    return records.length > 0;
  };

  /** Set by passOver: the loop parks at the first turn that found nothing new, until it is resolved. */
  let parking: { parked: () => void; resume: Promise<void> } | undefined;

  const loop = (async () => {
    let sinceDiscovery = 0;
    let failing = false;
    while (!stopped) {
      let busy = false;
      // Only a turn begun after passOver asked may park: one under way then may have read too early.
      const mayPark = parking !== undefined;
      try {
        if (failing) await discover(true);
        failing = false;
        for (const [id, reader] of shards) if (!stopped && (await pollShard(id, reader))) busy = true;
        // Closed shards leave children behind; look for them now and then.
        if (++sinceDiscovery * idleMs >= 5_000 || [...shards.values()].every((r) => !r.iterator)) {
          sinceDiscovery = 0;
          await discover(false);
        }
      } catch (error) {
        // DynamoDB Local is down or restarting: wait, then read on from the last record seen.
        if (!failing) log('stream poll failed', { table: options.tableName, error: String(error) });
        failing = true;
        await sleep(1_000);
        continue;
      }
      if (!busy && mayPark && parking) {
        const { parked, resume } = parking;
        parked();
        await resume;
        continue;
      }
      if (!busy) await sleep(idleMs);
    }
  })();

  return {
    async passOver(load) {
      let resume!: () => void;
      const parked = new Promise<void>((resolve) => (parking = { parked: resolve, resume: new Promise<void>((r) => (resume = r)) }));
      wakeSleeper?.();
      await parked;
      try {
        return await load();
      } finally {
        await discover(false).catch(() => undefined);
        for (const [id, reader] of shards) if (reader.iterator) await readToEnd(id, reader).catch(() => undefined);
        parking = undefined;
        resume();
      }
    },
    async stop() {
      stopped = true;
      wakeSleeper?.();
      await loop;
    },
  };
}
