import * as z from 'zod';
import { decisions } from '../domain/approval';

/** Request bodies and query strings of the API; the OpenAPI document is generated from these. */
export const SubmitRequestBody = z
  .object({
    formId: z.string().min(1).max(100),
    data: z.record(z.string(), z.unknown()),
  })
  .strict()
  .meta({ id: 'SubmitRequestBody' });

export const ResubmitRequestBody = z.object({ data: z.record(z.string(), z.unknown()) }).strict().meta({ id: 'ResubmitRequestBody' });

export const WithdrawRequestBody = z.object({ comment: z.string().trim().max(1000).optional() }).strict().meta({ id: 'WithdrawRequestBody' });

export const DecisionBody = z
  .object({
    decision: z.enum(decisions),
    comment: z.string().trim().max(1000).optional(),
  })
  .strict()
  .superRefine((body, context) => {
    // The requester must learn why: a rejection or a send-back says so.
    if (body.decision !== 'approve' && !body.comment) {
      context.addIssue({ code: 'too_small', origin: 'string', minimum: 1, inclusive: true, path: ['comment'], input: body.comment, message: 'comment required' });
    }
  })
  .meta({ id: 'DecisionBody' });

const limit = z.coerce.number().int().min(1).max(100).optional();
const cursor = z.string().max(2000).optional();

export const PageQuery = z.object({ limit, cursor }).strict();

export const RequestListQuery = z.object({ scope: z.literal('mine').default('mine'), limit, cursor }).strict();

export const LedgerQuery = z
  .object({ limit, cursor, siteId: z.string().max(128).optional(), branchId: z.string().max(128).optional(), q: z.string().trim().max(100).optional() })
  .strict();

export const SaveLedgerItemBody = z
  .object({ item: z.record(z.string(), z.unknown()), version: z.number().int().min(0).optional(), reason: z.string().trim().max(500).optional() })
  .strict()
  .meta({ id: 'SaveLedgerItemBody' });

export const ImportLedgerBody = z
  .object({ csv: z.string().min(1).max(5_000_000), validRowsOnly: z.boolean().optional(), dryRun: z.boolean().optional() })
  .strict()
  .meta({ id: 'ImportLedgerBody' });

export const PreviewRouteBody = z.object({ data: z.record(z.string(), z.unknown()) }).strict().meta({ id: 'PreviewRouteBody' });

export const BulkApprovalBody = z
  .object({ taskIds: z.array(z.string().min(1).max(200)).min(1).max(50), comment: z.string().trim().max(1000).optional() })
  .strict()
  .meta({ id: 'BulkApprovalBody' });

export const AbsenceBody = z
  .object({ from: z.iso.date(), to: z.iso.date(), delegateId: z.string().trim().min(1).max(128) })
  .strict()
  .meta({ id: 'AbsenceBody' });

export const CirculationQuery = z.object({ limit, cursor, unread: z.enum(['true', 'false']).optional() }).strict();

export const DutyCalendarQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }).strict();

export const ConfirmDutyBody = z
  .object({ version: z.number().int().min(1), note: z.string().trim().max(1000).optional() })
  .strict()
  .meta({ id: 'ConfirmDutyBody' });
