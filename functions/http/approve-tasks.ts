import { coreDeps as deps } from '../adapters/core-deps';
import { approveMany } from '../domain/decisions';
import { json, route } from './http';
import { BulkApprovalBody } from './schemas';

/** POST /api/tasks/bulk-approval — 一括承認 from the inbox; a result per task. */
export const handler = route({ body: BulkApprovalBody }, async ({ caller, body }) => json(200, await approveMany(deps, caller, body.taskIds, body.comment ?? '')));
