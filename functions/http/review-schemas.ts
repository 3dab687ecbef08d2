import * as z from 'zod';

/** Query and body of the review routes; the domain checks what the regulations require (causes, actions). */
export const ReviewMonthQuery = z.object({ month: z.string().max(20).optional() }).strict();

const answer = z.string().max(1000).optional();

export const CompleteReviewBody = z
  .object({
    conclusion: z.enum(['no-anomaly', 'anomalies-found']),
    findings: z.array(z.object({ key: z.string().min(1).max(300), cause: answer, action: answer }).strict()).max(500).optional(),
    others: z.array(z.object({ description: answer, cause: answer, action: answer }).strict()).max(50).optional(),
    comment: z.string().trim().max(1000).optional(),
  })
  .strict()
  .meta({ id: 'CompleteReviewBody' });
