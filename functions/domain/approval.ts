import type { AuditDraft, AuditEvent, ChainHead } from './audit';
import { chainEvent, emptyChain } from './audit';
import { conflict, forbidden } from './errors';
import type { StageTemplate } from './form-definition';
import type { LedgerOp } from './ledgers';
import type { PersonRef } from './organisation';
import { roles } from './roles';
import type { Text } from './text';

export type RequestStatus = 'in_review' | 'approved' | 'rejected' | 'sent_back' | 'withdrawn';
export type StageStatus = 'pending' | 'open' | 'approved' | 'rejected' | 'sent_back' | 'cancelled';
export type Decision = 'approve' | 'reject' | 'send_back';
export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'sent_back' | 'superseded' | 'cancelled';

export const decisions: readonly Decision[] = ['approve', 'reject', 'send_back'];

export interface StageDecision {
  by: PersonRef;
  decision: Decision;
  comment: string;
  at: string;
}

export interface Stage {
  index: number;
  role: StageTemplate['role'];
  label: Text;
  rule: StageTemplate['rule'];
  status: StageStatus;
  /** Resolved when the request is filed (to show the route) and again when the stage opens. */
  approvers: PersonRef[];
  /** The decision that completed the stage. */
  decision: StageDecision | null;
  /** Approvals so far, for stages that need every approver. */
  approvals: StageDecision[];
  /** Why the stage went to someone other than the role as written. */
  note: Text | null;
  /** The Step Functions task token of the execution waiting on this stage; never shown to users. */
  taskToken: string | null;
}

export interface Requester extends PersonRef {
  siteId: string;
  branchId: string;
  departmentId: string;
}

export interface ApprovalRequest {
  id: string;
  formId: string;
  formCode: string;
  formVersion: number;
  formTitle: Text;
  status: RequestStatus;
  round: number;
  requester: Requester;
  data: Record<string, unknown>;
  currentStage: number;
  stages: Stage[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string;
  /** Optimistic-concurrency version: every write expects the version it read. */
  version: number;
  /** Head of this request's audit chain. */
  audit: ChainHead;
  /** The round whose outcome (ledger effects, requester notice) has been applied. */
  outcomeAppliedRound: number | null;
  /** Seats and names held for this round while it is in review. */
  reservations: Reservation[];
}

export interface Task {
  id: string;
  requestId: string;
  round: number;
  stage: number;
  approverId: string;
  approverName: Text;
  /** 代理: the absent approver this task's approver decides for. */
  onBehalfOf?: { id: string; name: Text };
  status: TaskStatus;
  createdAt: string;
  decidedAt: string | null;
  decision: Decision | null;
  comment: string | null;
  /** When the approver was e-mailed a link for this task. */
  notifiedAt: string | null;
  /** The Japan date on which a pending task is next reminded (督促) or escalated. */
  remindOn?: string;
  /** Reminders sent so far. */
  remindCount?: number;
  /** Set once the task was escalated to the stage role's superior. */
  escalatedAt?: string;
}

/** One atomic change of a request, with everything that must be written in the same transaction. */
export interface RequestChange {
  request: ApprovalRequest;
  /** The version the change was computed from; `null` when the request is new. */
  expectedVersion: number | null;
  events: AuditEvent[];
  createTasks: Task[];
  /** 回覧 notices created by this change (after a final approval). */
  createCirculations?: Circulation[];
  /** Tasks whose status changes; each write expects the task to still be pending. */
  updateTasks: Task[];
  useLink?: { tokenHash: string; at: string };
  /** Ledger changes, each create or update with the first or next event of that item's own chain. */
  ledger: LedgerEntry[];
}

/** 回覧: a read-only notice of an approved request to a named role, which its holder marks read. */
export interface Circulation {
  requestId: string;
  personId: string;
  personName: Text;
  role: StageTemplate['role'];
  createdAt: string;
  readAt: string | null;
}

export interface LedgerEntry {
  op: LedgerOp;
  event: AuditEvent | null;
}

/**
 * What a request keeps for itself while it is in review: a licence seat (S29-2, S38-2) or a unique
 * name (one person one ID, A16-3). Held at submission, released when the request is rejected, sent
 * back or withdrawn, kept for good when it is approved.
 */
export type Reservation =
  | { kind: 'seat'; licenceId: string; field: string }
  | { kind: 'claim'; key: string; field: string; message: Text };

/** The ledger operations that hold, release or keep a request's reservations. */
export function reservationOps(reservations: readonly Reservation[], requestId: string, mode: 'hold' | 'release' | 'keep'): LedgerOp[] {
  return mergeSeats(reservations.flatMap((reservation): LedgerOp[] => {
    if (reservation.kind === 'seat') {
      const [held, used] = mode === 'hold' ? [1, 0] : mode === 'release' ? [-1, 0] : [-1, 1];
      return [{ kind: 'seats', licenceId: reservation.licenceId, held, used, field: reservation.field }];
    }
    if (mode === 'hold') return [{ kind: 'claim', key: reservation.key, owner: requestId, field: reservation.field, message: reservation.message }];
    return mode === 'release' ? [{ kind: 'release', key: reservation.key, owner: requestId }] : [];
  }));
}

/** One seat change per licence: a transaction may touch an item only once, so seats of one licence add up. */
export function mergeSeats(ops: readonly LedgerOp[]): LedgerOp[] {
  const merged: LedgerOp[] = [];
  for (const op of ops) {
    const same = op.kind === 'seats' ? merged.find((m): m is Extract<LedgerOp, { kind: 'seats' }> => m.kind === 'seats' && m.licenceId === op.licenceId) : undefined;
    if (same && op.kind === 'seats') {
      same.held += op.held;
      same.used += op.used;
    } else merged.push(op.kind === 'seats' ? { ...op } : op);
  }
  return merged;
}

/** Gives each create or update its event in the item's own chain (the request's chain tells the rest). */
export function ledgerEntries(ops: readonly LedgerOp[], requestId: string, at: string, actor: PersonRef | null = null): LedgerEntry[] {
  return ops.map((op) => {
    if (op.kind === 'create') {
      const { event } = chainEvent(emptyChain(), {
        record: `${op.ledger}#${op.item.id}`,
        at,
        actor,
        action: 'created',
        summary: op.summary,
        before: null,
        after: requestId ? { ...op.item, requestId } : { ...op.item },
      });
      return { op, event };
    }
    if (op.kind === 'update') {
      const { event } = chainEvent(op.before.head, {
        record: `${op.ledger}#${op.after.id}`,
        at,
        actor,
        action: 'updated',
        summary: op.summary,
        ...changedFields(op.before.item, op.after),
        after: requestId ? { ...changedFields(op.before.item, op.after).after, requestId } : changedFields(op.before.item, op.after).after,
      });
      return { op, event };
    }
    return { op, event: null };
  });
}

/** Only what changed, before and after: the history shows the difference, not two copies. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const was: Record<string, unknown> = {};
  const is: Record<string, unknown> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      was[key] = before[key] ?? null;
      is[key] = after[key] ?? null;
    }
  }
  return { before: was, after: is };
}

export const requestRecord = (id: string) => `request#${id}`;

/** Task ids say where the task sits, so a task is found from its id alone. */
export const taskIdOf = (requestId: string, round: number, stage: number, approverId: string) =>
  `${requestId}.${round}.${stage}.${approverId}`;

// The approver id comes last and may hold any character a Cognito username may (dots included).
const TASK_ID = /^(R-\d{8}-[0-9A-Z]{6})\.(\d{1,4})\.(\d{1,2})\.([^\s/]{1,128})$/;

export function parseTaskId(id: string): { requestId: string; round: number; stage: number; approverId: string } | null {
  const match = TASK_ID.exec(id);
  return match ? { requestId: match[1], round: Number(match[2]), stage: Number(match[3]), approverId: match[4] } : null;
}

const stageStatusOf: Record<Decision, StageStatus> = { approve: 'approved', reject: 'rejected', send_back: 'sent_back' };
const taskStatusOf: Record<Decision, TaskStatus> = { approve: 'approved', reject: 'rejected', send_back: 'sent_back' };

const verbs: Record<Decision, Text> = {
  approve: { ja: '承認しました', en: 'approved' },
  reject: { ja: '却下しました', en: 'rejected' },
  send_back: { ja: '差し戻しました', en: 'sent back' },
};

/** Builds a change from a request's old and new state, placing the drafts in its audit chain. */
function changeOf(
  previous: ApprovalRequest | null,
  next: ApprovalRequest,
  drafts: Omit<AuditDraft, 'record'>[],
  extra: Partial<Pick<RequestChange, 'createTasks' | 'updateTasks' | 'useLink' | 'ledger'>> = {},
): RequestChange {
  let head = previous?.audit ?? emptyChain();
  const events = drafts.map((draft) => {
    const placed = chainEvent(head, { record: requestRecord(next.id), ...draft });
    head = placed.head;
    return placed.event;
  });
  return {
    request: { ...next, version: (previous?.version ?? 0) + 1, audit: head },
    expectedVersion: previous?.version ?? null,
    events,
    createTasks: extra.createTasks ?? [],
    updateTasks: extra.updateTasks ?? [],
    useLink: extra.useLink,
    ledger: extra.ledger ?? [],
  };
}

const snapshot = (request: ApprovalRequest) => ({
  status: request.status,
  round: request.round,
  currentStage: request.currentStage,
  stageStatus: request.stages[request.currentStage]?.status ?? null,
});

export function stagesFor(route: readonly StageTemplate[], approvers: PersonRef[][], notes: (Text | null)[]): Stage[] {
  return route.map((template, index) => ({
    index,
    role: template.role,
    label: roles[template.role].label,
    rule: template.rule,
    status: 'pending',
    approvers: approvers[index] ?? [],
    decision: null,
    approvals: [],
    note: notes[index] ?? null,
    taskToken: null,
  }));
}

export interface NewRequest {
  id: string;
  form: { id: string; code: string; version: number; title: Text };
  requester: Requester;
  data: Record<string, unknown>;
  stages: Stage[];
  reservations: Reservation[];
  at: string;
}

/** A request as filed: in review, waiting for the workflow to open its first stage. */
export function fileRequest(input: NewRequest): RequestChange {
  const request: ApprovalRequest = {
    id: input.id,
    formId: input.form.id,
    formCode: input.form.code,
    formVersion: input.form.version,
    formTitle: input.form.title,
    status: 'in_review',
    round: 1,
    requester: input.requester,
    data: input.data,
    currentStage: 0,
    stages: input.stages,
    createdAt: input.at,
    updatedAt: input.at,
    submittedAt: input.at,
    version: 0,
    audit: emptyChain(),
    outcomeAppliedRound: null,
    reservations: input.reservations,
  };
  return changeOf(
    null,
    request,
    [
    {
      at: input.at,
      actor: { id: input.requester.id, name: input.requester.name },
      action: 'submitted',
      summary: { ja: `${input.requester.name.ja} が申請しました`, en: `${input.requester.name.en} submitted the request` },
      before: null,
      after: { ...snapshot(request), data: input.data },
    },
    ],
    { ledger: ledgerEntries(reservationOps(input.reservations, input.id, 'hold'), input.id, input.at) },
  );
}

/**
 * Whether the workflow still owes this request something: it is in review, or it finished and its
 * outcome (ledger effects, the requester's notice) has not been applied yet.
 */
export const needsWorkflow = (request: ApprovalRequest): boolean =>
  request.status === 'in_review' || (request.status !== 'withdrawn' && request.outcomeAppliedRound !== request.round);

/** What the workflow should do next for a request, judged from its stored state alone. */
export type NextStep =
  | { kind: 'await' }
  | { kind: 'open'; stage: number }
  | { kind: 'finish'; status: 'approved' | 'rejected' | 'sent_back' }
  | { kind: 'ended'; status: RequestStatus };

export function nextStep(request: ApprovalRequest): NextStep {
  if (request.status !== 'in_review') return { kind: 'ended', status: request.status };
  const stage = request.stages[request.currentStage];
  switch (stage.status) {
    case 'pending':
      return { kind: 'open', stage: stage.index };
    case 'open':
      return { kind: 'await' };
    case 'approved':
      return stage.index === request.stages.length - 1 ? { kind: 'finish', status: 'approved' } : { kind: 'open', stage: stage.index + 1 };
    case 'rejected':
      return { kind: 'finish', status: 'rejected' };
    case 'sent_back':
      return { kind: 'finish', status: 'sent_back' };
    case 'cancelled':
      return { kind: 'ended', status: request.status };
  }
}

/**
 * A new pending task of this round's stage for one approver (standing in for someone when
 * `onBehalfOf` says so); with `remindOn`, reminders start on that day.
 */
export function pendingTask(request: ApprovalRequest, stage: number, approver: PersonRef, at: string, remindOn?: string): Task {
  return {
    id: taskIdOf(request.id, request.round, stage, approver.id),
    requestId: request.id,
    round: request.round,
    stage,
    approverId: approver.id,
    approverName: approver.name,
    ...(approver.onBehalfOf ? { onBehalfOf: approver.onBehalfOf } : {}),
    status: 'pending',
    createdAt: at,
    decidedAt: null,
    decision: null,
    comment: null,
    notifiedAt: null,
    ...(remindOn ? { remindOn, remindCount: 0 } : {}),
  };
}

/** Opens a stage for its resolved approvers: one pending task each. */
export function openStage(request: ApprovalRequest, index: number, approvers: PersonRef[], note: Text | null, at: string, remindOn?: string): RequestChange {
  const stages = request.stages.map((stage) => (stage.index === index ? { ...stage, status: 'open' as const, approvers, note, taskToken: null } : stage));
  const next: ApprovalRequest = { ...request, currentStage: index, stages, updatedAt: at };
  const stage = stages[index];
  const tasks = approvers.map((approver) => pendingTask(request, index, approver, at, remindOn));
  const names = {
    ja: approvers.map((a) => (a.onBehalfOf ? `${a.name.ja}（${a.onBehalfOf.name.ja} の代理）` : a.name.ja)).join('、'),
    en: approvers.map((a) => (a.onBehalfOf ? `${a.name.en} (for ${a.onBehalfOf.name.en})` : a.name.en)).join(', '),
  };
  return changeOf(
    request,
    next,
    [
      {
        at,
        actor: null,
        action: 'stage_opened',
        summary: { ja: `${stage.label.ja}（${names.ja}）の承認待ちになりました`, en: `Waiting for ${stage.label.en} (${names.en})` },
        before: snapshot(request),
        after: { ...snapshot(next), approvers: approvers.map((a) => a.id), note: note?.ja ?? null },
      },
    ],
    { createTasks: tasks },
  );
}

/** Closes a request with the outcome of its current stage. */
export function finish(request: ApprovalRequest, status: 'approved' | 'rejected' | 'sent_back', at: string): RequestChange {
  const next: ApprovalRequest = { ...request, status, updatedAt: at };
  const summaries: Record<typeof status, Text> = {
    approved: { ja: '最終承認されました', en: 'The request was approved' },
    rejected: { ja: '却下されました', en: 'The request was rejected' },
    sent_back: { ja: '差し戻されました。修正して再申請できます', en: 'The request was sent back for changes' },
  };
  // A rejected or sent-back request gives its seats and names back at once; an approved one keeps them (ApplyOutcome).
  const releases = status === 'approved' ? [] : reservationOps(request.reservations, request.id, 'release');
  return changeOf(request, next, [{ at, actor: null, action: status, summary: summaries[status], before: snapshot(request), after: snapshot(next) }], {
    ledger: ledgerEntries(releases, request.id, at),
  });
}

export interface DecisionInput {
  actor: PersonRef;
  decision: Decision;
  comment: string;
  at: string;
  /** Set when the decision comes from an e-mailed link, which is used up in the same transaction. */
  linkTokenHash?: string;
}

/**
 * Records one approver's decision on their task. Refuses a decision from anyone but the task's
 * approver, on the approver's own request, or on a task or stage that has moved on.
 */
export function decide(request: ApprovalRequest, tasks: readonly Task[], task: Task, input: DecisionInput): RequestChange {
  if (input.actor.id === request.requester.id) {
    throw forbidden({ ja: '自分の申請を承認・却下することはできません。', en: 'You cannot decide your own request.' });
  }
  if (input.actor.id !== task.approverId) {
    throw forbidden({ ja: 'この承認タスクの承認者ではありません。', en: 'You are not the approver of this task.' });
  }
  const stage = request.stages[task.stage];
  if (
    task.status !== 'pending' ||
    request.status !== 'in_review' ||
    request.round !== task.round ||
    request.currentStage !== task.stage ||
    stage?.status !== 'open'
  ) {
    throw conflict({ ja: 'この承認タスクは既に処理されています。', en: 'This task has already been decided.' });
  }

  const by = task.onBehalfOf ? { ...input.actor, onBehalfOf: task.onBehalfOf } : input.actor;
  const record: StageDecision = { by, decision: input.decision, comment: input.comment, at: input.at };
  const who = task.onBehalfOf
    ? { ja: `${input.actor.name.ja}（${task.onBehalfOf.name.ja} の代理）`, en: `${input.actor.name.en} (for ${task.onBehalfOf.name.en})` }
    : { ja: input.actor.name.ja, en: input.actor.name.en };
  const decidedTask: Task = { ...task, status: taskStatusOf[input.decision], decidedAt: input.at, decision: input.decision, comment: input.comment };
  const siblings = tasks.filter((t) => t.round === task.round && t.stage === task.stage && t.id !== task.id && t.status === 'pending');

  const approvals = input.decision === 'approve' ? [...stage.approvals, record] : stage.approvals;
  const completes = input.decision !== 'approve' || stage.rule === 'any' || siblings.length === 0;
  const nextStage: Stage = completes
    ? { ...stage, status: stageStatusOf[input.decision], decision: record, approvals }
    : { ...stage, approvals };
  const closed = completes ? siblings.map((t) => ({ ...t, status: 'superseded' as const, decidedAt: input.at })) : [];
  const next: ApprovalRequest = {
    ...request,
    stages: request.stages.map((s) => (s.index === stage.index ? nextStage : s)),
    updatedAt: input.at,
  };
  const verb = verbs[input.decision];
  return changeOf(
    request,
    next,
    [
      {
        at: input.at,
        actor: by,
        action: 'decided',
        summary: {
          ja: `${who.ja}（${stage.label.ja}）が${verb.ja}${input.comment ? `：${input.comment}` : ''}`,
          en: `${who.en} (${stage.label.en}) ${verb.en}${input.comment ? `: ${input.comment}` : ''}`,
        },
        before: snapshot(request),
        after: { ...snapshot(next), task: task.id, decision: input.decision, comment: input.comment, viaLink: Boolean(input.linkTokenHash) },
      },
    ],
    { updateTasks: [decidedTask, ...closed], useLink: input.linkTokenHash ? { tokenHash: input.linkTokenHash, at: input.at } : undefined },
  );
}

/** 引戻し: the requester takes the request back while it is in review (or sent back). */
export function withdraw(request: ApprovalRequest, tasks: readonly Task[], actor: PersonRef, comment: string, at: string): RequestChange {
  if (actor.id !== request.requester.id) {
    throw forbidden({ ja: '申請者本人だけが引戻しできます。', en: 'Only the requester can withdraw a request.' });
  }
  if (request.status !== 'in_review' && request.status !== 'sent_back') {
    throw conflict({ ja: 'この申請は既に完了しているため引戻しできません。', en: 'This request is already closed and cannot be withdrawn.' });
  }
  const stages = request.stages.map((stage) => (stage.status === 'open' ? { ...stage, status: 'cancelled' as const } : stage));
  const next: ApprovalRequest = { ...request, status: 'withdrawn', stages, updatedAt: at };
  const cancelled = tasks.filter((t) => t.status === 'pending').map((t) => ({ ...t, status: 'cancelled' as const, decidedAt: at }));
  return changeOf(
    request,
    next,
    [
      {
        at,
        actor,
        action: 'withdrawn',
        summary: { ja: `${actor.name.ja} が引戻しました${comment ? `：${comment}` : ''}`, en: `${actor.name.en} withdrew the request${comment ? `: ${comment}` : ''}` },
        before: snapshot(request),
        after: { ...snapshot(next), comment },
      },
    ],
    {
      updateTasks: cancelled,
      // A sent-back request released its reservations already.
      ledger: ledgerEntries(request.status === 'in_review' ? reservationOps(request.reservations, request.id, 'release') : [], request.id, at),
    },
  );
}

/** 再申請: a sent-back request, edited by its requester, starts its route again. */
export function resubmit(
  request: ApprovalRequest,
  actor: PersonRef,
  data: Record<string, unknown>,
  stages: Stage[],
  reservations: Reservation[],
  at: string,
): RequestChange {
  if (actor.id !== request.requester.id) {
    throw forbidden({ ja: '申請者本人だけが再申請できます。', en: 'Only the requester can resubmit a request.' });
  }
  if (request.status !== 'sent_back') {
    throw conflict({ ja: '差し戻された申請だけが再申請できます。', en: 'Only a sent-back request can be resubmitted.' });
  }
  const next: ApprovalRequest = { ...request, status: 'in_review', round: request.round + 1, data, stages, reservations, currentStage: 0, submittedAt: at, updatedAt: at };
  return changeOf(
    request,
    next,
    [
    {
      at,
      actor,
      action: 'resubmitted',
      summary: { ja: `${actor.name.ja} が再申請しました`, en: `${actor.name.en} resubmitted the request` },
      before: { ...snapshot(request), data: request.data },
      after: { ...snapshot(next), data },
    },
    ],
    { ledger: ledgerEntries(reservationOps(reservations, request.id, 'hold'), request.id, at) },
  );
}

/**
 * Stores the workflow's task token on the open stage, so that the decision that completes the stage
 * can wake the execution. Not an audit event: it changes how the request is orchestrated, not its state.
 */
export function recordTaskToken(request: ApprovalRequest, stage: number, token: string, at: string): RequestChange {
  const next: ApprovalRequest = {
    ...request,
    stages: request.stages.map((s) => (s.index === stage ? { ...s, taskToken: token } : s)),
    updatedAt: at,
  };
  return changeOf(request, next, []);
}

/**
 * Marks the round's outcome as applied, with the ledger changes it makes (an approval keeps its
 * reservations and applies the form's effects), each create or update in its item's own chain.
 */
export function applyOutcome(
  request: ApprovalRequest,
  effects: readonly LedgerOp[],
  titles: (ledger: string) => Text,
  at: string,
  circulations: readonly Circulation[] = [],
): RequestChange {
  const next: ApprovalRequest = { ...request, outcomeAppliedRound: request.round, updatedAt: at };
  const ops = request.status === 'approved' ? mergeSeats([...reservationOps(request.reservations, request.id, 'keep'), ...effects]) : [];
  const entries = ledgerEntries(ops, request.id, at);
  const written = entries.flatMap(({ op }) => (op.kind === 'create' ? [{ ledger: op.ledger, id: op.item.id }] : op.kind === 'update' ? [{ ledger: op.ledger, id: op.after.id }] : []));
  const drafts: Omit<AuditDraft, 'record'>[] =
    written.length > 0
      ? [
          {
            at,
            actor: null,
            action: 'effects_applied',
            summary: {
              ja: `台帳に反映しました（${written.map((w) => `${titles(w.ledger).ja} ${w.id}`).join('、')}）`,
              en: `Recorded in the ledgers (${written.map((w) => `${titles(w.ledger).en} ${w.id}`).join(', ')})`,
            },
            before: null,
            after: { writes: written },
          },
        ]
      : [];
  const circulated: Omit<AuditDraft, 'record'>[] =
    circulations.length > 0
      ? [
          {
            at,
            actor: null,
            action: 'circulated',
            summary: {
              ja: `回覧しました（${circulations.map((c) => c.personName.ja).join('、')}）`,
              en: `Circulated to ${circulations.map((c) => c.personName.en).join(', ')}`,
            },
            before: null,
            after: { to: circulations.map((c) => c.personId) },
          },
        ]
      : [];
  const change = changeOf(request, next, [...drafts, ...circulated], { ledger: entries });
  return circulations.length > 0 ? { ...change, createCirculations: [...circulations] } : change;
}

/**
 * Escalation (督促の上申): the stage role's superiors join the open stage with tasks of their own, so
 * that one of them can decide; the original approvers keep theirs. The escalated tasks are marked so
 * that they are not escalated again.
 */
export function escalate(request: ApprovalRequest, tasks: readonly Task[], stageIndex: number, superiors: PersonRef[], superiorLabel: Text, at: string, remindOn: string): RequestChange {
  const stage = request.stages[stageIndex];
  const joining = superiors.filter((p) => !stage.approvers.some((a) => a.id === p.id) && p.id !== request.requester.id);
  const note = {
    ja: `期限までに判断がなかったため、${superiorLabel.ja}（${joining.map((p) => p.name.ja).join('、')}）に上申しました。`,
    en: `No decision in time: escalated to ${superiorLabel.en} (${joining.map((p) => p.name.en).join(', ')}).`,
  };
  const next: ApprovalRequest = {
    ...request,
    stages: request.stages.map((s) => (s.index === stageIndex ? { ...s, approvers: [...s.approvers, ...joining], note } : s)),
    updatedAt: at,
  };
  const created: Task[] = joining.map((approver) => ({
    id: taskIdOf(request.id, request.round, stageIndex, approver.id),
    requestId: request.id,
    round: request.round,
    stage: stageIndex,
    approverId: approver.id,
    approverName: approver.name,
    status: 'pending',
    createdAt: at,
    decidedAt: null,
    decision: null,
    comment: null,
    notifiedAt: null,
    remindOn,
    remindCount: 0,
    escalatedAt: at,
  }));
  const marked = tasks
    .filter((t) => t.round === request.round && t.stage === stageIndex && t.status === 'pending' && !t.escalatedAt)
    .map((t) => ({ ...t, escalatedAt: at, remindOn }));
  return changeOf(
    request,
    next,
    [{ at, actor: null, action: 'escalated', summary: note, before: snapshot(request), after: { ...snapshot(next), approvers: joining.map((p) => p.id) } }],
    { createTasks: created, updateTasks: marked },
  );
}

/** 督促: records that an approver was reminded, and when the next reminder is due. */
export function remind(request: ApprovalRequest, task: Task, at: string, nextRemindOn: string): RequestChange {
  const count = (task.remindCount ?? 0) + 1;
  return changeOf(
    request,
    { ...request, updatedAt: at },
    [
      {
        at,
        actor: null,
        action: 'reminded',
        summary: { ja: `${task.approverName.ja} に督促しました（${count}回目）`, en: `Reminded ${task.approverName.en} (${count})` },
        before: null,
        after: { task: task.id, remindCount: count, nextRemindOn },
      },
    ],
    { updateTasks: [{ ...task, remindCount: count, remindOn: nextRemindOn }] },
  );
}
