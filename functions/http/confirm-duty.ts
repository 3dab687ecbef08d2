import { deps } from '../adapters/deps';
import { confirmDuty } from '../domain/duty-calendar';
import { json, route } from './http';
import { ConfirmDutyBody } from './schemas';

/** POST /api/duties/{id}/complete — the assignee confirms the duty is done (password changed, ID deleted …). */
export const handler = route({ body: ConfirmDutyBody }, async ({ caller, params, body }) => json(200, await confirmDuty(deps, caller, params.id, body)));
