import type { ApprovalRequest, RequestChange, Stage, Task } from './approval';
import { pendingTask, requestRecord } from './approval';
import type { AuditDraft } from './audit';
import { chainEvent } from './audit';
import { japanDate } from './dates';
import { ConditionFailedError, StaleWriteError } from './errors';
import type { ReminderPolicy } from './form-definition';
import { DEFAULT_REMINDERS } from './form-definition';
import { reassignmentMail } from './mail-templates';
import type { Absence, Directory, Person, PersonRef } from './organisation';
import { scopeIdFor } from './organisation';
import type { Deps } from './ports';
import { nextReminderDate } from './reminders';
import { formOf } from './requests';
import { superiorOf } from './roles';
import { UnresolvableStageError, resolveStage } from './routing';
import type { Text } from './text';
import { everyItem } from './paging';

/** How one open stage changed hands after a change of the organisation. */
export interface Reassignment {
  requestId: string;
  formCode: string;
  formTitle: Text;
  stage: number;
  stageLabel: Text;
  /** Approvers whose tasks were superseded (or, in a preview, would be). */
  from: PersonRef[];
  /** Approvers who joined the stage with a task and a link of their own. */
  to: PersonRef[];
  /** An `all` stage whose remaining approvers had all approved: it completed with the change. */
  completed: boolean;
  note: Text;
}

/** An open stage that would be left with nobody to decide: the organisation change is refused. */
export interface BlockedStage {
  requestId: string;
  formCode: string;
  stage: number;
  stageLabel: Text;
}

export interface ReroutePlan {
  reassignments: Reassignment[];
  blocked: BlockedStage[];
}

/** Where a person's absence (and so their delegate) is read. */
export interface AbsenceLookup {
  absence(personId: string): Promise<Absence | null>;
}

const holdsIn = (person: Person, role: Stage['role'], scopeId: string) => person.roles.some((r) => r.role === role && r.scope.id === scopeId);

/**
 * Whether the person a task stands for may still decide the stage: they hold the stage's role for the
 * requester's place; or they are 情報システム部インフラ担当, the team every stage falls back to; or the
 * task was created by escalation and they still hold the superior role it was escalated to.
 */
export function stillEntitled(person: Person | null, stage: Stage, request: ApprovalRequest, task: Task): boolean {
  if (!person) return false;
  if (holdsIn(person, stage.role, scopeIdFor(stage.role, request.requester))) return true;
  if (holdsIn(person, 'itInfra', '*')) return true;
  const superior = superiorOf[stage.role];
  // Escalation creates its tasks already marked (escalatedAt = createdAt); the tasks it only marks were older.
  const joinedByEscalation = Boolean(task.escalatedAt) && task.escalatedAt === task.createdAt;
  return Boolean(superior && joinedByEscalation && holdsIn(person, superior, scopeIdFor(superior, request.requester)));
}

const namesJa = (people: readonly PersonRef[]) => people.map((p) => (p.onBehalfOf ? `${p.name.ja}（${p.onBehalfOf.name.ja} の代理）` : p.name.ja)).join('、');
const namesEn = (people: readonly PersonRef[]) => people.map((p) => (p.onBehalfOf ? `${p.name.en} (for ${p.onBehalfOf.name.en})` : p.name.en)).join(', ');
const refOfTask = (task: Task): PersonRef => ({ id: task.approverId, name: task.approverName, ...(task.onBehalfOf ? { onBehalfOf: task.onBehalfOf } : {}) });

export interface ReassignInput {
  request: ApprovalRequest;
  tasks: readonly Task[];
  stage: number;
  /** Pending tasks of the stage whose approver may no longer decide it. */
  leaving: readonly Task[];
  /** People who join the stage (none of them has a task on it yet). */
  joining: readonly PersonRef[];
  /** Set when the stage could not go to its role as written (the fallback's note). */
  fallbackNote: Text | null;
  actor: PersonRef;
  at: string;
  remindOn: string;
}

/**
 * The change that hands an open stage over after a change of the organisation: the leaving approvers'
 * tasks become `superseded` (their links answer 410), the joining approvers get tasks, and the stage's
 * approvers and note say what happened. An `all` stage left only with approvers who have approved
 * completes. Null when the stage would be left with nobody to decide.
 */
export function reassignStage(input: ReassignInput): RequestChange | null {
  const { request, at } = input;
  const stage = request.stages[input.stage];
  const leavingIds = new Set(input.leaving.map((t) => t.id));
  const remaining = input.tasks.filter((t) => t.round === request.round && t.stage === stage.index && t.status === 'pending' && !leavingIds.has(t.id));
  const completes = remaining.length === 0 && input.joining.length === 0 && stage.rule === 'all' && stage.approvals.length > 0;
  if (remaining.length === 0 && input.joining.length === 0 && !completes) return null;

  const from = input.leaving.map(refOfTask);
  const leavingApprovers = new Set(input.leaving.map((t) => t.approverId));
  const note: Text = input.fallbackNote
    ? input.fallbackNote
    : completes
      ? {
          ja: `組織変更により ${namesJa(from)} の承認タスクを取り消しました。残る承認者全員が承認済みのため、この段階は承認で完了しました。`,
          en: `After a change of the organisation, the task of ${namesEn(from)} was withdrawn; everyone left on the stage had approved, so it completed.`,
        }
      : input.joining.length > 0
        ? {
            ja: `組織変更により、${namesJa(from)} から ${namesJa(input.joining)} に担当を変更しました。`,
            en: `After a change of the organisation, the stage passed from ${namesEn(from)} to ${namesEn(input.joining)}.`,
          }
        : {
            ja: `組織変更により ${namesJa(from)} の承認タスクを取り消しました。`,
            en: `After a change of the organisation, the task of ${namesEn(from)} was withdrawn.`,
          };
  const nextStage: Stage = {
    ...stage,
    approvers: [...stage.approvers.filter((a) => !leavingApprovers.has(a.id)), ...input.joining],
    note,
    ...(completes ? { status: 'approved' as const, decision: stage.approvals[stage.approvals.length - 1] } : {}),
  };
  const next: ApprovalRequest = { ...request, stages: request.stages.map((s) => (s.index === stage.index ? nextStage : s)), updatedAt: at };
  // remindOn is always a date here (nextReminderDate), so every new task is reminded.
  const created = input.joining.map((approver) => pendingTask(request, stage.index, approver, at, input.remindOn));
  const superseded: Task[] = input.leaving.map((task) => ({ ...task, status: 'superseded', decidedAt: at }));
  const draft: Omit<AuditDraft, 'record'> = {
    at,
    actor: input.actor,
    action: 'reassigned',
    summary: { ja: `${stage.label.ja}：${note.ja}`, en: `${stage.label.en}: ${note.en}` },
    before: { stage: stage.index, stageStatus: stage.status, approvers: stage.approvers.map((a) => a.id) },
    after: {
      stage: stage.index,
      stageStatus: nextStage.status,
      approvers: nextStage.approvers.map((a) => a.id),
      superseded: superseded.map((t) => t.id),
      joined: created.map((t) => t.approverId),
    },
  };
  const placed = chainEvent(request.audit, { record: requestRecord(request.id), ...draft });
  return {
    request: { ...next, version: request.version + 1, audit: placed.head },
    expectedVersion: request.version,
    events: [placed.event],
    createTasks: created,
    updateTasks: superseded,
    ledger: [],
  };
}

/** Pending tasks a person stands behind: their own, and those their delegate holds for them. */
async function pendingTasksOf(deps: Deps, absences: AbsenceLookup, personId: string): Promise<Task[]> {
  const all = (approverId: string) => everyItem((cursor) => deps.requests.inbox(approverId, { limit: 100, cursor }));
  const own = await all(personId);
  const absence = await absences.absence(personId);
  const delegated = absence ? (await all(absence.delegate.id)).filter((t) => t.onBehalfOf?.id === personId) : [];
  return [...own, ...delegated];
}

type Outcome = { kind: 'none' } | { kind: 'blocked'; blocked: BlockedStage } | { kind: 'change'; change: RequestChange; reassignment: Reassignment; leaving: Task[] };

/** What a change of the organisation means for one request's open stage, judged against `directory`. */
async function outcomeFor(deps: Deps, directory: Directory, request: ApprovalRequest, tasks: readonly Task[], actor: PersonRef): Promise<Outcome> {
  if (request.status !== 'in_review') return { kind: 'none' };
  const stage = request.stages[request.currentStage];
  if (stage?.status !== 'open') return { kind: 'none' };
  const pending = tasks.filter((t) => t.round === request.round && t.stage === stage.index && t.status === 'pending');
  const leaving: Task[] = [];
  for (const task of pending) {
    const standsFor = task.onBehalfOf?.id ?? task.approverId;
    if (!stillEntitled(await directory.person(standsFor), stage, request, task)) leaving.push(task);
  }
  if (leaving.length === 0) return { kind: 'none' };

  const blocked = { kind: 'blocked' as const, blocked: { requestId: request.id, formCode: request.formCode, stage: stage.index, stageLabel: stage.label } };
  const today = japanDate(deps.clock.now());
  let resolved;
  try {
    resolved = await resolveStage({ role: stage.role, rule: stage.rule }, request.requester, directory, today);
  } catch (error) {
    if (error instanceof UnresolvableStageError) resolved = { approvers: [], note: null };
    else throw error;
  }
  const onStage = new Set(tasks.filter((t) => t.round === request.round && t.stage === stage.index).map((t) => t.approverId));
  const joining = resolved.approvers.filter((a) => !onStage.has(a.id));
  const policy = reminderPolicyOf(deps, request.formId);
  const change = reassignStage({
    request,
    tasks,
    stage: stage.index,
    leaving,
    joining,
    fallbackNote: joining.length > 0 ? resolved.note : null,
    actor,
    at: deps.clock.now().toISOString(),
    remindOn: nextReminderDate(policy, today, today, false),
  });
  if (!change) return blocked;
  const nextStage = change.request.stages[stage.index];
  return {
    kind: 'change',
    change,
    leaving,
    reassignment: {
      requestId: request.id,
      formCode: request.formCode,
      formTitle: request.formTitle,
      stage: stage.index,
      stageLabel: stage.label,
      from: leaving.map(refOfTask),
      to: [...joining],
      completed: nextStage.status === 'approved',
      note: nextStage.note ?? { ja: '', en: '' },
    },
  };
}

export interface RerouteOptions {
  /** People whose roles changed: their pending tasks (and their delegates' for them) are looked at. */
  people: readonly string[];
  /** The directory as it is (or, for a preview, as it would be after the change). */
  directory: Directory;
  absences: AbsenceLookup;
  actor: PersonRef;
  /** false: only work out what would happen (nothing is written, nobody is told). */
  apply: boolean;
}

/**
 * Re-resolves the approvers of open stages that a change of roles leaves without a valid approver.
 * Each request changes in its own transaction, guarded by its version (a lost race re-reads and
 * judges again), so running it twice changes nothing the second time. The leaving approvers get a
 * notice; the workflow is woken to e-mail the joining ones their links, or to move on from a stage
 * that completed.
 */
export async function rerouteOpenTasks(deps: Deps, options: RerouteOptions): Promise<ReroutePlan> {
  const requestIds = new Set<string>();
  for (const personId of new Set(options.people)) {
    for (const task of await pendingTasksOf(deps, options.absences, personId)) requestIds.add(task.requestId);
  }
  const plan: ReroutePlan = { reassignments: [], blocked: [] };
  for (const requestId of [...requestIds].sort()) {
    for (let attempt = 1; ; attempt++) {
      const loaded = await deps.requests.load(requestId);
      if (!loaded) break;
      const outcome = await outcomeFor(deps, options.directory, loaded.request, loaded.tasks, options.actor);
      if (outcome.kind === 'blocked') plan.blocked.push(outcome.blocked);
      if (outcome.kind !== 'change') break;
      if (!options.apply) {
        plan.reassignments.push(outcome.reassignment);
        break;
      }
      try {
        await deps.requests.commit(outcome.change);
      } catch (error) {
        // Decided or changed meanwhile: read again and judge from what is stored now.
        if ((error instanceof StaleWriteError || error instanceof ConditionFailedError) && attempt < 5) continue;
        throw error;
      }
      plan.reassignments.push(outcome.reassignment);
      await tellPeople(deps, outcome.change, outcome.leaving, outcome.reassignment);
      break;
    }
  }
  return plan;
}

/**
 * The leaving approvers are told here. The joining ones are e-mailed by the workflow: waking it makes
 * it come round to AwaitDecision again, whose notify step sends a link to every pending task not yet
 * e-mailed (as when the stage opened); a completed stage moves on. A stage not waiting yet (no token)
 * is notified when its execution gets there.
 */
async function tellPeople(deps: Deps, change: RequestChange, leaving: readonly Task[], reassignment: Reassignment): Promise<void> {
  const { request } = change;
  const stage = request.stages[reassignment.stage];
  for (const task of leaving) {
    const person = await deps.directory.person(task.approverId);
    if (person) await deps.mailer.send(reassignmentMail(request, stage, { id: person.id, name: person.name, email: person.email }, reassignment.to, `${deps.webBaseUrl}/#/requests/${request.id}`));
  }
  // A stage the change completed wakes its execution from the records table's stream (workflow-hand-over.ts).
  if (!reassignment.completed && change.createTasks.length > 0 && stage.taskToken) {
    await deps.workflow.resume(stage.taskToken, { requestId: request.id, round: request.round, stage: stage.index });
  }
}

/**
 * The form's reminder policy where the form catalogue is wired; the default where it is not (the
 * organisation functions leave the catalogue out of their bundles). Only the first look at a new task
 * depends on it: from then on the daily run applies the form's own policy.
 */
function reminderPolicyOf(deps: Deps, formId: string): ReminderPolicy {
  return 'forms' in deps ? (formOf(deps, formId).form.reminders ?? DEFAULT_REMINDERS) : DEFAULT_REMINDERS;
}
