import { notFound } from './errors';
import type { PageRequest } from './ledgers';
import type { Person } from './organisation';
import type { Deps } from './ports';

/** 回覧 received by the caller, newest first, each with its request's summary. */
export async function listCirculations(deps: Deps, actor: Person, unread: boolean, page: PageRequest) {
  const found = await deps.requests.circulationsOf(actor.id, unread, page);
  const items = [];
  for (const circulation of found.items) {
    const loaded = await deps.requests.load(circulation.requestId);
    if (!loaded) continue;
    const { request } = loaded;
    items.push({ ...circulation, request: { id: request.id, formId: request.formId, formCode: request.formCode, formTitle: request.formTitle, requester: request.requester, status: request.status } });
  }
  return { items, ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
}

/** Marks a circulation read (確認しました); a second time, or for someone it was not sent to, is 404. */
export async function markCirculationRead(deps: Deps, actor: Person, requestId: string) {
  const marked = await deps.requests.markCirculationRead(requestId, actor.id, deps.clock.now().toISOString());
  if (!marked) throw notFound({ ja: '未確認の回覧はありません。', en: 'There is no unread circulation of this request for you.' });
  return { requestId, readAt: deps.clock.now().toISOString() };
}
