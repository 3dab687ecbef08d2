import { core, coreDeps as deps } from '../adapters/core-deps';
import { clearAbsence, getAbsence, setAbsence } from '../domain/absence';
import type { Context } from 'aws-lambda';
import type { ApiEvent } from './http';
import { json, route } from './http';
import { AbsenceBody } from './schemas';

const { directory } = core;

const read = route({}, async ({ caller }) => json(200, await getAbsence(directory, caller)));
const write = route({ body: AbsenceBody }, async ({ caller, body }) => json(200, await setAbsence(deps, directory, caller, body)));
const clear = route({}, async ({ caller }) => json(200, await clearAbsence(directory, caller)));

/** GET, PUT and DELETE /api/me/absence — the caller's absence and delegate (代理承認). */
export const handler = (event: ApiEvent, context: Context) => {
  const method = event.requestContext.http.method;
  return (method === 'PUT' ? write : method === 'DELETE' ? clear : read)(event, context);
};
