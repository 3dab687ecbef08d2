/**
 * Forms made for tests: a catalogue entry built the way functions/forms/catalog.ts builds one, and a
 * catalogue holding the real forms plus the test ones.
 */
import { z } from 'zod';
import type { FormDefinition } from '../../../functions/domain/form-definition';
import type { CatalogEntry, FormCatalog } from '../../../functions/domain/ports';
import { labelsOf } from '../../../functions/domain/validation';
import { catalog } from '../../../functions/forms/catalog';

function jsonSchemaOf(form: FormDefinition, schema: z.ZodType): Record<string, unknown> {
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  jsonSchema['x-rules'] = form.rules;
  return jsonSchema;
}

export function catalogEntry<T extends Record<string, unknown>>(form: FormDefinition<T>): CatalogEntry {
  const definition = form as unknown as FormDefinition;
  const jsonSchema = jsonSchemaOf(definition, form.schema);
  const versions = new Map<number, Record<string, unknown>>([
    ...(form.previousVersions ?? []).map(({ version, schema }) => [version, jsonSchemaOf(definition, schema)] as const),
    [form.version, jsonSchema],
  ]);
  return { form: definition, jsonSchema, labels: labelsOf(jsonSchema), versions };
}

/** The real catalogue with these forms added. */
export function catalogWith(...forms: FormDefinition<never>[]): FormCatalog {
  const entries = new Map(catalog);
  for (const form of forms) entries.set(form.id, catalogEntry(form as unknown as FormDefinition));
  return entries;
}

/** A minimal form: one stage (the requester's site manager), the given schema and hooks. */
export function testForm<T extends Record<string, unknown>>(
  id: string,
  schema: z.ZodType<T>,
  extra: Partial<FormDefinition<T>> = {},
): FormDefinition<T> {
  return {
    id,
    code: 'F99',
    version: 1,
    category: 'licences',
    title: { ja: `テスト申請 ${id}`, en: `Test form ${id}` },
    description: { ja: 'テスト用の申請書', en: 'A form for tests' },
    articles: [],
    route: [{ role: 'siteManager', rule: 'any' }],
    schema,
    rules: [],
    ...extra,
  };
}
