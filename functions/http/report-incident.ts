import { deps } from '../adapters/deps';
import { reportIncident } from '../domain/incidents';
import { CaseBody } from './case-schemas';
import { json, route } from './http';

/** POST /api/cases/incidents — 障害の発生報告, by anyone (S10, S20, A18). */
export const handler = route({ body: CaseBody }, async ({ caller, body }) => json(201, await reportIncident(deps, caller, body)));
