import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Binding, FunctionTarget } from './function';
import { auditTable, recordsTable, tables, type TableSpec } from './tables';

/**
 * What the functions may do on the records table. Scan is left out on purpose: every request path
 * reads by key or by index (see the design), so a Scan in a handler fails loudly instead of
 * quietly reading the whole table. Transactions need no actions of their own: DynamoDB authorises
 * each item of a TransactWriteItems / TransactGetItems call with the action it performs.
 */
const recordsReadWriteActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/** The audit log is append-only: new items and reads, never an update or a delete. */
const auditAppendActions = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

const attributeType = (type: 'S' | 'N'): dynamodb.AttributeType =>
  type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING;

/**
 * The DynamoDB tables described in `infra/tables.ts`, deployed as they are described so the local
 * runtime and AWS never disagree about keys and indexes. The tables hold the record of truth, so
 * they are retained, protected from deletion and continuously backed up (PITR).
 *
 * Functions get access only through the grants here (`grantRecordsReadWrite`, `grantAuditAppend`)
 * and find the tables through `bind`, which sets each table's `envName` variable.
 */
export class Data extends Construct implements Binding {
  /** Tables by their TableSpec id (`Records`, `Audit`). */
  readonly tables: ReadonlyMap<string, dynamodb.Table>;
  readonly records: dynamodb.Table;
  readonly audit: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const created = new Map<string, dynamodb.Table>();
    for (const spec of tables) created.set(spec.id, this.createTable(spec));
    this.tables = created;
    this.records = created.get(recordsTable.id)!;
    this.audit = created.get(auditTable.id)!;
  }

  /** Sets RECORDS_TABLE, AUDIT_TABLE (each spec's `envName`) to the deployed table names. */
  bind(fn: FunctionTarget): void {
    for (const spec of tables) fn.addEnvironment(spec.envName, this.tables.get(spec.id)!.tableName);
  }

  /** Read and write items of the records table and query its indexes (no Scan). */
  grantRecordsReadWrite(fn: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: fn,
      actions: recordsReadWriteActions,
      resourceArns: this.tableAndIndexArns(recordsTable, this.records),
    });
  }

  /** Append to the audit log and read it; never update or delete an entry. */
  grantAuditAppend(fn: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: fn,
      actions: auditAppendActions,
      resourceArns: this.tableAndIndexArns(auditTable, this.audit),
    });
  }

  // Index ARNs are listed one by one rather than as `table/index/*`, so no grant carries a wildcard.
  private tableAndIndexArns(spec: TableSpec, table: dynamodb.Table): string[] {
    return [table.tableArn, ...spec.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`)];
  }

  private createTable(spec: TableSpec): dynamodb.Table {
    const table = new dynamodb.Table(this, spec.id, {
      partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: spec.sortKey, type: attributeType(spec.sortKeyType) },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      stream: spec.stream ? dynamodb.StreamViewType[spec.stream] : undefined,
    });
    for (const index of spec.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}
