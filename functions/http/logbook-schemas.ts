import * as z from 'zod';

/**
 * Bodies of the logbook routes. The entry's fields are checked by the domain against the logbook's
 * own schema (so that the messages name each field by its label), and so is the date (in the month,
 * not in the future).
 */
export const AddLogbookEntryBody = z
  .object({ date: z.string().max(10), fields: z.record(z.string(), z.unknown()) })
  .strict()
  .meta({ id: 'AddLogbookEntryBody' });

/** A completion (施錠, 退室 …) or a correction, at the version the page showed; a correction says why. */
export const UpdateLogbookEntryBody = z
  .object({ version: z.number().int().min(1), fields: z.record(z.string(), z.unknown()), reason: z.string().trim().max(500).optional() })
  .strict()
  .meta({ id: 'UpdateLogbookEntryBody' });
