import * as z from 'zod';

/** Request bodies of the organisation administration routes; the OpenAPI document lists them too. */
export const SavePersonBody = z
  .object({
    person: z.record(z.string(), z.unknown()),
    version: z.number().int().min(0).optional(),
    reason: z.string().trim().max(500).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'SavePersonBody' });

export const SavePlaceBody = z
  .object({ place: z.record(z.string(), z.unknown()), version: z.number().int().min(0).optional(), reason: z.string().trim().max(500).optional() })
  .strict()
  .meta({ id: 'SavePlaceBody' });

export const ImportOrganisationBody = z
  .object({ file: z.enum(['people', 'places']), csv: z.string().min(1).max(5_000_000), validRowsOnly: z.boolean().optional(), dryRun: z.boolean().optional() })
  .strict()
  .meta({ id: 'ImportOrganisationBody' });
