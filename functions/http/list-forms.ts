import { catalog, describeForm } from '../forms/catalog';
import { json, route } from './http';

const forms = [...catalog.values()].map(describeForm);

/** GET /api/forms — every form with its articles, route and JSON Schema. */
export const handler = route({}, async () => json(200, { items: forms }));
