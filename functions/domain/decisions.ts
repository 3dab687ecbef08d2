import type { ApprovalRequest, Circulation, Decision, Task } from './approval';
import { decide, parseTaskId } from './approval';
import { ConditionFailedError, conflict, forbidden, gone, notFound } from './errors';
import type { PageRequest } from './ledgers';
import type { ApprovalLink } from './link-token';
import { hashLinkToken, isWellFormedLinkToken } from './link-token';
import type { Person } from './organisation';
import { refOf } from './organisation';
import type { Deps } from './ports';
import { requestDetail, withFreshRead } from './requests';
import { requestView, taskView } from './views';

export interface DecisionBody {
  decision: Decision;
  comment?: string;
}

const taskNotFound = (id: string) => notFound({ ja: `承認タスク ${id} は見つかりません。`, en: `Task ${id} was not found.` });

type LoadedRequest = Awaited<ReturnType<Deps['requests']['load']>>;

/**
 * The request partition a task belongs to, found by the task id alone: a route reads it while the
 * caller is looked up (route's `prefetch`), and the decision then starts from it.
 */
export async function readTaskRequest(deps: Deps, taskId: string): Promise<LoadedRequest> {
  const where = parseTaskId(taskId);
  return where ? deps.requests.load(where.requestId) : null;
}

async function loadTask(
  deps: Deps,
  taskId: string,
  preloaded?: LoadedRequest,
): Promise<{ request: ApprovalRequest; tasks: Task[]; task: Task; circulations?: Circulation[] }> {
  const where = parseTaskId(taskId);
  if (!where) throw taskNotFound(taskId);
  const found = preloaded !== undefined ? preloaded : await deps.requests.load(where.requestId);
  const task = found?.tasks.find((t) => t.id === taskId);
  if (!found || !task) throw taskNotFound(taskId);
  return { ...found, task };
}

/** The caller's pending approval tasks, oldest first. */
export async function listMyTasks(deps: Deps, actor: Person, page: PageRequest) {
  const found = await deps.requests.inbox(actor.id, page);
  // One read per distinct request on the page; pages are small and bounded by `limit`.
  const requests = new Map<string, ApprovalRequest>();
  for (const requestId of new Set(found.items.map((t) => t.requestId))) {
    const loaded = await deps.requests.load(requestId);
    if (loaded) requests.set(requestId, loaded.request);
  }
  const items = found.items.flatMap((task) => {
    const request = requests.get(task.requestId);
    return request ? [taskView(task, request)] : [];
  });
  return { items, ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
}

export async function getTask(deps: Deps, actor: Person, taskId: string) {
  const { request, task, circulations } = await loadTask(deps, taskId);
  if (task.approverId !== actor.id) {
    throw forbidden({ ja: 'この承認タスクの承認者ではありません。', en: 'You are not the approver of this task.' });
  }
  return { task: taskView(task, request), request: await requestDetail(deps, request, circulations ?? []) };
}

/**
 * Records a decision (one that completes the stage wakes the workflow, from the stream). The task's "still pending"
 * condition makes a double-click or a replayed call record one decision; the others get 409.
 */
async function recordDecision(deps: Deps, actor: Person, taskId: string, body: DecisionBody, link?: ApprovalLink, preloaded?: LoadedRequest) {
  // The partition read before the caller was known serves the first attempt; a lost race reads afresh.
  let first = preloaded;
  const outcome = await withFreshRead(async () => {
    const { request, tasks, task } = await loadTask(deps, taskId, first);
    first = undefined;
    const change = decide(request, tasks, task, {
      actor: refOf(actor),
      decision: body.decision,
      comment: body.comment ?? '',
      at: deps.clock.now().toISOString(),
      linkTokenHash: link?.tokenHash,
    });
    try {
      await deps.requests.commit(change);
    } catch (error) {
      if (error instanceof ConditionFailedError && error.target === 'link') {
        throw gone({ ja: 'このリンクは既に使用されています。', en: 'This link has already been used.' });
      }
      if (error instanceof ConditionFailedError) {
        throw conflict({ ja: 'この承認タスクは既に処理されています。', en: 'This task has already been decided.' });
      }
      throw error;
    }
    return { change, task };
  });
  // A decision that completes the stage wakes the waiting execution from the records table's stream
  // (workflow-hand-over.ts): the caller is answered once DynamoDB has the decision.
  const { change, task } = outcome;
  const decided = change.updateTasks.find((t) => t.id === task.id) ?? task;
  return { task: taskView(decided, change.request), request: requestView(change.request) };
}

/** @param preloaded the task's request partition, when the route read it already (see readTaskRequest). */
export async function decideTask(deps: Deps, actor: Person, taskId: string, body: DecisionBody, preloaded?: LoadedRequest) {
  return recordDecision(deps, actor, taskId, body, undefined, preloaded);
}

/**
 * Resolves an e-mailed link for the signed-in approver. Unknown → 404; someone else's → 403; used,
 * expired, or its task decided elsewhere → 410.
 */
async function resolveLink(deps: Deps, actor: Person, token: string): Promise<ApprovalLink> {
  const unknown = notFound({ ja: 'このリンクは見つかりません。', en: 'This link was not found.' });
  if (!isWellFormedLinkToken(token)) throw unknown;
  const link = await deps.requests.link(hashLinkToken(token));
  if (!link) throw unknown;
  if (link.approverId !== actor.id) {
    throw forbidden({ ja: 'このリンクは別の承認者宛てです。', en: 'This link was sent to another approver.' });
  }
  if (link.usedAt) throw gone({ ja: 'このリンクは既に使用されています。', en: 'This link has already been used.' });
  if (link.expiresAt <= deps.clock.now().toISOString()) {
    throw gone({ ja: 'このリンクは有効期限が切れています。', en: 'This link has expired.' });
  }
  return link;
}

/** Shows the task behind a link. Changes nothing: mail scanners open links by themselves. */
export async function openLink(deps: Deps, actor: Person, token: string) {
  const link = await resolveLink(deps, actor, token);
  const { request, task, circulations } = await loadTask(deps, link.taskId);
  if (task.status !== 'pending') {
    throw gone({ ja: 'この承認タスクは既に処理されています。', en: 'This task has already been decided.' });
  }
  return {
    task: taskView(task, request),
    request: await requestDetail(deps, request, circulations ?? []),
    link: { expiresAt: link.expiresAt },
  };
}

export async function decideByLink(deps: Deps, actor: Person, token: string, body: DecisionBody) {
  const link = await resolveLink(deps, actor, token);
  try {
    return { ...(await recordDecision(deps, actor, link.taskId, body, link)), link: { expiresAt: link.expiresAt } };
  } catch (error) {
    // Through a link, a task decided elsewhere means the link is spent.
    if (error instanceof Error && 'status' in error && error.status === 409) {
      throw gone({ ja: 'この承認タスクは既に処理されています。', en: 'This task has already been decided.' });
    }
    throw error;
  }
}

/** The outcome of one task in a bulk decision. */
export interface BulkResult {
  taskId: string;
  ok: boolean;
  status: number;
  code?: string;
  messages?: { ja: string; en: string };
}

/**
 * 一括承認: approves routine tasks from the inbox one by one — each decision is checked, recorded and
 * audited exactly as if it were made alone, and one refusal does not stop the others.
 */
export async function approveMany(deps: Deps, actor: Person, taskIds: readonly string[], comment: string) {
  const results: BulkResult[] = [];
  for (const taskId of new Set(taskIds)) {
    try {
      await recordDecision(deps, actor, taskId, { decision: 'approve', comment });
      results.push({ taskId, ok: true, status: 200 });
    } catch (error) {
      if (error instanceof Error && 'status' in error && 'messages' in error) {
        const refusal = error as Error & { status: number; code: string; messages: { ja: string; en: string } };
        results.push({ taskId, ok: false, status: refusal.status, code: refusal.code, messages: refusal.messages });
      } else throw error;
    }
  }
  return { approved: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length, results };
}
