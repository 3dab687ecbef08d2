import { deps } from '../adapters/deps';
import { returnMedia } from '../domain/media-checkouts';
import { CaseBody } from './case-schemas';
import { json, route } from './http';

/** POST /api/cases/media-checkouts/{id}/return — 総務 records the return; the return duty is completed with it. */
export const handler = route({ body: CaseBody }, async ({ caller, params, body }) => json(200, await returnMedia(deps, caller, params.id, body)));
