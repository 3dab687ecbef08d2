import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { verifyAuditLog } from '../functions/adapters/audit-verifier';

/**
 * `npm run audit:verify`: walks every audit hash chain and reports the first broken link of each.
 * Locally it reads the DynamoDB of `npm start` (DYNAMODB_PORT, default 8000); on AWS set
 * RECORDS_TABLE and AUDIT_TABLE (and the usual AWS credentials) and it reads those tables.
 */
const local = !process.env.AUDIT_TABLE;
const client = new DynamoDBClient(
  local
    ? { endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {},
);
const tables = {
  records: process.env.RECORDS_TABLE ?? 'kitei-flow-records',
  audit: process.env.AUDIT_TABLE ?? 'kitei-flow-audit',
};

try {
  const reports = await verifyAuditLog(DynamoDBDocumentClient.from(client), tables);
  const broken = reports.filter((r) => r.broken);
  const events = reports.reduce((sum, r) => sum + r.events, 0);
  for (const report of broken) {
    console.log(`BROKEN ${report.record}: first broken link at event ${report.broken?.seq} (${report.broken?.reason})`);
  }
  console.log(`${reports.length} chains, ${events} events: ${broken.length === 0 ? 'every chain verifies' : `${broken.length} broken`}`);
  process.exit(broken.length === 0 ? 0 : 1);
} catch (error) {
  console.error(`Could not read the audit log (${(error as Error).message}). Is \`npm start\` running, or are RECORDS_TABLE / AUDIT_TABLE set?`);
  process.exit(2);
}
