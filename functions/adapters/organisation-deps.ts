import { dynamo } from './aws-clients';
import { config } from './config';
import { core } from './core-deps';
import { DynamoOrganisationStore } from './dynamo-directory';

/**
 * The directory's write side (organisation administration), over the core ports' directory. Kept
 * out of deps.ts so that the administration functions carry only the stores they use.
 */
export const organisation = new DynamoOrganisationStore(dynamo, { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE }, core.directory);
