import * as z from 'zod';
import type { FormDefinition } from '../domain/form-definition';
import type { CatalogEntry, FormCatalog } from '../domain/ports';
import { roles } from '../domain/roles';
import { labelsOf } from '../domain/validation';
import { clientForms } from './client-forms';
import { licenceAndIdForms } from './licence-and-id-forms';
import { serverConnectionRequest } from './server-connection-request';
import { serverForms } from './server-forms';

function jsonSchemaOf(form: FormDefinition, schema: z.ZodType): Record<string, unknown> {
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  jsonSchema['x-rules'] = form.rules;
  return jsonSchema;
}

/**
 * A form with its JSON Schema, labels and earlier versions, each derived on first use and then kept.
 * Deriving them all at import took most of a function's cold start; a submission needs one form's.
 */
function entry<T extends Record<string, unknown>>(form: FormDefinition<T>): CatalogEntry {
  const definition = form as unknown as FormDefinition;
  let jsonSchema: Record<string, unknown> | undefined;
  let labels: CatalogEntry['labels'] | undefined;
  let versions: CatalogEntry['versions'] | undefined;
  return {
    form: definition,
    get jsonSchema() {
      return (jsonSchema ??= jsonSchemaOf(definition, form.schema));
    },
    get labels() {
      return (labels ??= labelsOf(this.jsonSchema));
    },
    get versions() {
      return (versions ??= new Map<number, Record<string, unknown>>([
        ...(form.previousVersions ?? []).map(({ version, schema }) => [version, jsonSchemaOf(definition, schema)] as const),
        [form.version, this.jsonSchema],
      ]));
    },
  };
}

/** Every form, with its JSON Schema and field labels derived once per process (on first use). */
export const catalog: FormCatalog = new Map(
  [serverConnectionRequest, ...serverForms, ...clientForms, ...licenceAndIdForms]
    .sort((a, b) => Number(a.code.slice(1)) - Number(b.code.slice(1)))
    .map((form) => [form.id, entry(form)] as const),
);

/** The form as the API shows it (GET /api/forms). */
export function describeForm({ form, jsonSchema }: CatalogEntry) {
  return {
    id: form.id,
    code: form.code,
    version: form.version,
    category: form.category,
    title: form.title,
    description: form.description,
    articles: form.articles,
    route: form.route.map((stage) => ({ role: stage.role, label: roles[stage.role].label, rule: stage.rule, ...(stage.when ? { when: stage.when } : {}) })),
    schema: jsonSchema,
  };
}
