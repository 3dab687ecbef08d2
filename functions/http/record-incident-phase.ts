import { deps } from '../adapters/deps';
import { recordIncidentPhase } from '../domain/incidents';
import { CaseBody } from './case-schemas';
import { json, route } from './http';

/** POST /api/cases/incidents/{id}/phases — IT infrastructure records the next phase (notices go out with it). */
export const handler = route({ body: CaseBody }, async ({ caller, params, body }) => json(200, await recordIncidentPhase(deps, caller, params.id, body)));
