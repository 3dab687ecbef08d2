import { deps } from '../adapters/deps';
import { checkOutMedia } from '../domain/media-checkouts';
import { CaseBody } from './case-schemas';
import { json, route } from './http';

/** POST /api/cases/media-checkouts — ノートPC・可搬媒体の持ち出しを記録 (A11(5)). */
export const handler = route({ body: CaseBody }, async ({ caller, body }) => json(201, await checkOutMedia(deps, caller, body)));
