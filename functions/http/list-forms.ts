import { catalog, describeForm } from '../forms/catalog';
import { json, route } from './http';

// Built on the first call rather than at import: it derives every form's JSON Schema.
let forms: ReturnType<typeof describeForm>[] | undefined;

/** GET /api/forms — every form with its articles, route and JSON Schema. */
export const handler = route({}, async () => json(200, { items: (forms ??= [...catalog.values()].map(describeForm)) }));
