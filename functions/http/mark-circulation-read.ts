import { coreDeps as deps } from '../adapters/core-deps';
import { markCirculationRead } from '../domain/circulations';
import { json, route } from './http';

/** POST /api/circulations/{requestId}/read — 確認しました. */
export const handler = route({}, async ({ caller, params }) => json(200, await markCirculationRead(deps, caller, params.requestId)));
