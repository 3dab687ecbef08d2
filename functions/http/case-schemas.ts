import * as z from 'zod';
import { PageQuery } from './schemas';

/**
 * Query strings of the case routes. Their bodies are checked by the domain against the case's own
 * schemas (functions/domain/incidents.ts, media-checkouts.ts), so field errors carry the case's labels.
 */
export const IncidentListQuery = PageQuery.extend({ scope: z.enum(['mine', 'all']).default('mine') }).strict();

export const CheckoutListQuery = PageQuery.extend({ scope: z.enum(['mine', 'all', 'out']).default('mine') }).strict();

/** Any JSON body: the domain reads it with the case's schema. */
export const CaseBody = z.unknown();
