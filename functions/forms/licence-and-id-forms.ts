import type { FormDefinition } from '../domain/form-definition';
import { applicationUseRegistration } from './application-use-registration';
import { licenceViolationReport } from './licence-violation-report';
import { privilegedIdRequest } from './privileged-id-request';
import { userIdDeletionRequest } from './user-id-deletion-request';
import { userIdIssueRequest } from './user-id-issue-request';

/** Forms of licences (F9, F10) and user / privileged IDs (F12, F13, F14). */
export const licenceAndIdForms: FormDefinition<any>[] = [
  applicationUseRegistration,
  licenceViolationReport,
  userIdIssueRequest,
  userIdDeletionRequest,
  privilegedIdRequest,
];
