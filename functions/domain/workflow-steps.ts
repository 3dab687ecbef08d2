import type { ApprovalRequest, Circulation } from './approval';
import { scopeIdFor } from './organisation';
import type { RoleId } from './roles';
import { applyOutcome as applyOutcomeChange, finish, nextStep, openStage, recordTaskToken } from './approval';
import { mailApprovalLinks } from './approval-links';
import { LINK_LIFETIME_DAYS } from './link-token';
import { circulationMail, noticeMail, outcomeMail } from './mail-templates';
import type { Deps } from './ports';
import { formContext, formOf, withFreshRead } from './requests';
import { resolveStage } from './routing';
import { japanDate } from './dates';
import { DEFAULT_REMINDERS } from './form-definition';
import { nextReminderDate } from './reminders';

/** What Advance tells the state machine (its Route state chooses on `next`). */
export interface AdvanceResult {
  requestId: string;
  next: 'await' | 'approved' | 'rejected' | 'sent_back' | 'withdrawn' | 'done';
  round: number;
  stage: number;
}

async function mustLoad(deps: Deps, requestId: string) {
  const found = await deps.requests.load(requestId);
  // The execution was started for a request that is not stored: nothing can continue, fail loudly.
  if (!found) throw new Error(`Request ${requestId} does not exist.`);
  return found;
}

const resultOf = (request: ApprovalRequest, next: AdvanceResult['next']): AdvanceResult => ({
  requestId: request.id,
  next,
  round: request.round,
  stage: request.currentStage,
});

/**
 * Advance: moves a request one step along its route, judged from DynamoDB alone. Running it twice for
 * the same step changes nothing, so an execution can be started again for any request at any time.
 */
export async function advance(deps: Deps, requestId: string): Promise<AdvanceResult> {
  return withFreshRead(async () => {
    const { request } = await mustLoad(deps, requestId);
    const step = nextStep(request);
    const at = deps.clock.now().toISOString();
    switch (step.kind) {
      case 'await':
        return resultOf(request, 'await');
      case 'ended':
        // A finished request whose outcome was not applied yet (a crash in between) goes to ApplyOutcome again.
        if (step.status === 'withdrawn') return resultOf(request, 'withdrawn');
        if (step.status !== 'in_review' && request.outcomeAppliedRound !== request.round) return resultOf(request, step.status);
        return resultOf(request, 'done');
      case 'open': {
        const stage = request.stages[step.stage];
        const resolved = await resolveStage({ role: stage.role, rule: stage.rule }, request.requester, deps.directory, japanDate(deps.clock.now()));
        const policy = formOf(deps, request.formId).form.reminders ?? DEFAULT_REMINDERS;
        const today = japanDate(deps.clock.now());
        const remindOn = nextReminderDate(policy, today, today, false);
        const change = openStage(request, step.stage, resolved.approvers, resolved.note, at, remindOn);
        await deps.requests.commit(change);
        return resultOf(change.request, 'await');
      }
      case 'finish': {
        const change = finish(request, step.status, at);
        await deps.requests.commit(change);
        return resultOf(change.request, step.status);
      }
    }
  });
}

export interface NotifyInput {
  requestId: string;
  round: number;
  stage: number;
  taskToken: string;
}

/**
 * The first step of AwaitDecision: keeps the task token on the stage and e-mails every approver who
 * has not been e-mailed yet a single-use link. When the stage was already decided (or the request
 * withdrawn) before the token arrived, the execution is released at once instead of waiting forever.
 */
export async function notifyApprovers(deps: Deps, input: NotifyInput): Promise<{ notified: number }> {
  const state = await withFreshRead(async () => {
    const { request, tasks } = await mustLoad(deps, input.requestId);
    const stage = request.stages[input.stage];
    const current = request.round === input.round && request.currentStage === input.stage;
    if (request.status === 'withdrawn') return { kind: 'withdrawn' as const };
    if (!current || stage?.status !== 'open') return { kind: 'decided' as const };
    const change = recordTaskToken(request, input.stage, input.taskToken, deps.clock.now().toISOString());
    await deps.requests.commit(change);
    return { kind: 'open' as const, request: change.request, tasks };
  });

  if (state.kind === 'withdrawn') {
    await deps.workflow.abort(input.taskToken, 'Request.Withdrawn', 'The request was withdrawn.');
    return { notified: 0 };
  }
  if (state.kind === 'decided') {
    await deps.workflow.resume(input.taskToken, { requestId: input.requestId, round: input.round, stage: input.stage });
    return { notified: 0 };
  }

  const { request, tasks } = state;
  // Approvers not yet e-mailed, and those whose last link has expired (the stage waited past its
  // lifetime and the workflow came round again): they get a fresh link.
  const expiredBefore = new Date(deps.clock.now().getTime() - LINK_LIFETIME_DAYS * 24 * 60 * 60 * 1000).toISOString();
  const waiting = tasks.filter(
    (t) => t.round === input.round && t.stage === input.stage && t.status === 'pending' && (!t.notifiedAt || t.notifiedAt <= expiredBefore),
  );
  return { notified: await mailApprovalLinks(deps, request, waiting) };
}


export interface OutcomeInput {
  requestId: string;
  round: number;
  outcome: 'approved' | 'rejected' | 'sent_back';
}

/**
 * ApplyOutcome: writes an approved request's ledger effects in the same transaction that marks the
 * outcome applied, then tells the requester. A second run for the same round changes nothing.
 */
export async function applyOutcome(deps: Deps, input: OutcomeInput): Promise<{ requestId: string; outcome: string }> {
  const applied = await withFreshRead(async () => {
    const { request } = await mustLoad(deps, input.requestId);
    if (request.round !== input.round || request.status !== input.outcome || request.outcomeAppliedRound === request.round) {
      return null;
    }
    const entry = formOf(deps, request.formId);
    const facts = { requestId: request.id, requester: request.requester, reservations: request.reservations, data: request.data, approvedAt: deps.clock.now().toISOString() };
    const context = formContext(deps, request.requester);
    const effects = input.outcome === 'approved' ? ((await entry.form.onApproved?.(facts, context)) ?? []) : [];
    const notices = input.outcome === 'approved' ? ((await entry.form.notices?.(facts, context)) ?? []) : [];
    const titles = (ledger: string) => deps.ledgerDefinitions.get(ledger)?.title ?? { ja: ledger, en: ledger };
    const at = deps.clock.now().toISOString();
    const circulations = input.outcome === 'approved' ? await circulationsFor(deps, request, entry.form.circulate ?? [], at) : [];
    const change = applyOutcomeChange(request, effects, titles, at, circulations);
    await deps.requests.commit(change);
    return { request: change.request, notices, circulations };
  });
  if (applied) {
    for (const notice of applied.notices) {
      const emails = (await Promise.all(notice.to.map((person) => deps.directory.person(person.id)))).flatMap((p) => (p ? [p.email] : []));
      if (emails.length > 0) await deps.mailer.send(noticeMail(applied.request, notice, emails));
    }
    const requester = await deps.directory.person(applied.request.requester.id);
    if (requester) {
      await deps.mailer.send(outcomeMail(applied.request, input.outcome, requester.email, `${deps.webBaseUrl}/#/requests/${applied.request.id}`));
    }
    for (const circulation of applied.circulations) {
      const person = await deps.directory.person(circulation.personId);
      if (person) await deps.mailer.send(circulationMail(applied.request, person, `${deps.webBaseUrl}/#/requests/${applied.request.id}`));
    }
  }
  return { requestId: input.requestId, outcome: input.outcome };
}

/**
 * Starts the workflow again for every request it still owes something: after a restart, approvals
 * continue, and an outcome interrupted before it was applied is applied.
 */
export async function resumeRequests(deps: Deps): Promise<number> {
  let cursor: string | undefined;
  let resumed = 0;
  do {
    const page = await deps.requests.listNeedingWorkflow({ limit: 100, cursor });
    for (const request of page.items) {
      await deps.workflow.start(request.id, request.round);
      resumed++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return resumed;
}

/** The holders of each circulation role for the requester (never the requester), once each. */
async function circulationsFor(deps: Deps, request: ApprovalRequest, circulate: readonly RoleId[], at: string): Promise<Circulation[]> {
  const circulations: Circulation[] = [];
  for (const role of circulate) {
    for (const person of await deps.directory.holders(role, scopeIdFor(role, request.requester))) {
      if (person.id === request.requester.id || circulations.some((c) => c.personId === person.id)) continue;
      circulations.push({ requestId: request.id, personId: person.id, personName: person.name, role, createdAt: at, readAt: null });
    }
  }
  return circulations;
}
