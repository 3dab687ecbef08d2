import type { Deps } from '../domain/ports';
import { catalog } from '../forms/catalog';
import { core, partialDeps } from './core-deps';

/** The ports of coreDeps and the form catalogue: for functions that file, route, show or advance requests. */
export const formDeps: Deps = partialDeps({ ...core, forms: catalog }, 'formDeps (functions/adapters/form-deps.ts): import deps (deps.ts) in this function');
