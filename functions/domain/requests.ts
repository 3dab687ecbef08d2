import type { ApprovalRequest, Circulation, RequestChange, Requester, Task } from './approval';
import type { AuditEvent } from './audit';
import { fileRequest, resubmit, stagesFor, withdraw } from './approval';
import { ConditionFailedError, StaleWriteError, conflict, forbidden, notFound, validationFailed } from './errors';
import type { FormContext } from './form-definition';
import type { Text } from './text';
import type { LedgerReader, Page, PageRequest } from './ledgers';
import type { ReadAhead } from './read-ahead';
import { recordingReader, servedFrom } from './read-ahead';
import type { Person } from './organisation';
import { hasRole, refOf } from './organisation';
import type { CatalogEntry, Deps } from './ports';
import { applicableStages, resolveRoute } from './routing';
import { japanDate } from './dates';
import { parseFormData } from './validation';
import { requestView } from './views';

const requesterOf = (person: Person): Requester => ({
  id: person.id,
  name: person.name,
  siteId: person.siteId,
  branchId: person.branchId,
  departmentId: person.departmentId,
});

/**
 * Runs an operation that reads a request and writes a change, again from a fresh read when another
 * writer got there first. A few attempts settle any realistic contention on one request.
 */
export async function withFreshRead<T>(operation: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

export function formOf(deps: Deps, formId: string): CatalogEntry {
  const entry = deps.forms.get(formId);
  if (!entry) throw notFound({ ja: `申請書「${formId}」はありません。`, en: `There is no form "${formId}".` });
  return entry;
}

/** Validates form data completely (schema, cross-field rules, lookups) or throws 400 with every issue. */
export async function validData(deps: Deps, entry: CatalogEntry, input: unknown, requester?: Requester): Promise<Record<string, unknown>> {
  const parsed = parseFormData(entry.form, entry.labels, input);
  if (!parsed.ok) throw validationFailed(parsed.issues);
  const issues = (await entry.form.check?.(parsed.data, formContext(deps, requester))) ?? [];
  if (issues.length > 0) throw validationFailed(issues);
  return parsed.data;
}

export const formContext = (deps: Deps, requester?: Requester): FormContext => ({
  ledgers: deps.ledgers,
  directory: deps.directory,
  now: deps.clock.now(),
  ...(requester ? { requester } : {}),
});

/** The route for this data: stages whose condition does not hold are left out, the rest resolved. */
async function routeFor(deps: Deps, entry: CatalogEntry, requester: Requester, data: Record<string, unknown>, ledgers: LedgerReader = deps.ledgers) {
  const route = await applicableStages(entry.form.route, data, ledgers);
  const resolved = await resolveRoute(route, requester, deps.directory, japanDate(deps.clock.now()));
  return stagesFor(
    route,
    resolved.map((r) => r.approvers),
    resolved.map((r) => r.note),
  );
}

/**
 * Writes a change that holds seats or names; a seat that is gone or a name that is taken is the
 * requester's field error (with the article), not a fault.
 */
async function commitReserving(deps: Deps, change: RequestChange): Promise<void> {
  try {
    await deps.requests.commit(change);
  } catch (error) {
    if (error instanceof ConditionFailedError && error.target === 'seats') {
      const op = error.op as { field?: string; licenceId: string };
      throw validationFailed([
        {
          path: op.field ?? 'data',
          messages: {
            ja: `ライセンス（${op.licenceId}）に空きがありません。契約数を超えるインストールはできません（第29条第2項・第38条第2項）。`,
            en: `Licence ${op.licenceId} has no free seat; installs may not exceed the licences bought (Art. 29-2, 38-2).`,
          },
        },
      ]);
    }
    if (error instanceof ConditionFailedError && error.target === 'claim') {
      const op = error.op as { field: string; message: Text };
      throw validationFailed([{ path: op.field, messages: op.message }]);
    }
    throw error;
  }
}

/**
 * Files a request: validated, stored with its route, and handed to the approval workflow. Once the
 * data has its shape, the form's lookups, the route (holders of every stage, then everyone's absence
 * in one read) and the seats it holds are read together: the round trips do not add up.
 */
/**
 * Runs a submission's form checks and stage conditions before the caller is known, only to start
 * their ledger reads beside the caller's lookup; {@link submitRequest} is then handed what they read,
 * once. Nothing is decided here: whatever fails is left for the real run to meet.
 */
export async function readAheadForSubmission(deps: Deps, input: { formId: string; data: unknown }): Promise<ReadAhead> {
  const ahead: ReadAhead = new Map();
  const entry = deps.forms.get(input.formId);
  const parsed = entry ? parseFormData(entry.form, entry.labels, input.data) : null;
  if (!entry || !parsed?.ok) return ahead;
  const ledgers = recordingReader(deps.ledgers, ahead);
  await Promise.allSettled([
    (async () => entry.form.check?.(parsed.data, { ...formContext(deps), ledgers }))(),
    applicableStages(entry.form.route, parsed.data, ledgers),
  ]);
  return ahead;
}

/** @param ahead what {@link readAheadForSubmission} read for this input, while the caller was looked up. */
export async function submitRequest(deps: Deps, actor: Person, input: { formId: string; data: unknown }, ahead?: ReadAhead) {
  const entry = formOf(deps, input.formId);
  const requester = requesterOf(actor);
  const parsed = parseFormData(entry.form, entry.labels, input.data);
  if (!parsed.ok) throw validationFailed(parsed.issues);
  const data = parsed.data;
  const ledgers = ahead ? servedFrom(deps.ledgers, ahead) : deps.ledgers;
  const context = { ...formContext(deps, requester), ledgers };
  const [checked, stages, reservations] = await Promise.allSettled([
    entry.form.check?.(data, context),
    routeFor(deps, entry, requester, data, ledgers),
    entry.form.reserve?.(data, refOf(actor), context),
  ]);
  // The requester's field errors come first, whatever else failed on data that was not valid.
  if (checked.status === 'rejected') throw checked.reason;
  if ((checked.value ?? []).length > 0) throw validationFailed(checked.value ?? []);
  if (stages.status === 'rejected') throw stages.reason;
  if (reservations.status === 'rejected') throw reservations.reason;
  const now = deps.clock.now();
  const change = fileRequest({
    id: deps.ids.requestId(now),
    form: { id: entry.form.id, code: entry.form.code, version: entry.form.version, title: entry.form.title },
    requester,
    data,
    stages: stages.value,
    reservations: reservations.value ?? [],
    at: now.toISOString(),
  });
  // Concurrent holds on one licence may cancel each other (TransactionConflict); the same new request
  // is safe to send again, since the seat conditions are checked anew each time.
  await withFreshRead(() => commitReserving(deps, change), 5);
  // The workflow starts from the records table's stream (workflow-hand-over.ts), not from here.
  return requestView(change.request);
}

export async function loadRequest(deps: Deps, id: string): Promise<{ request: ApprovalRequest; tasks: Task[]; circulations?: Circulation[] }> {
  const found = await deps.requests.load(id);
  if (!found) throw notFound({ ja: `申請 ${id} は見つかりません。`, en: `Request ${id} was not found.` });
  return found;
}

/** The requester, anyone who holds or held a task on it, and IT infrastructure may read a request. */
export function mayRead(actor: Person, request: ApprovalRequest, tasks: readonly Task[], circulations: readonly Circulation[] = []): boolean {
  return (
    actor.id === request.requester.id ||
    circulations.some((c) => c.personId === actor.id) ||
    tasks.some((task) => task.approverId === actor.id) ||
    request.stages.some((stage) => stage.approvers.some((a) => a.id === actor.id)) ||
    hasRole(actor, 'itInfra')
  );
}

/** What {@link getRequest} reads: the request partition and its history, side by side. */
export async function readRequestWithHistory(deps: Deps, id: string) {
  const [loaded, history] = await Promise.all([deps.requests.load(id), deps.requests.history(id)]);
  return { loaded, history };
}

/**
 * @param preloaded what {@link readRequestWithHistory} found, when the route read it while the caller
 * was looked up; nothing of it is shown before the caller may read the request.
 */
export async function getRequest(deps: Deps, actor: Person, id: string, preloaded?: Awaited<ReturnType<typeof readRequestWithHistory>>) {
  const { loaded, history } = preloaded ?? (await readRequestWithHistory(deps, id));
  if (!loaded) throw notFound({ ja: `申請 ${id} は見つかりません。`, en: `Request ${id} was not found.` });
  const { request, tasks, circulations } = loaded;
  if (!mayRead(actor, request, tasks, circulations)) {
    throw forbidden({ ja: 'この申請を閲覧する権限がありません。', en: 'You may not see this request.' });
  }
  return requestDetail(deps, request, circulations ?? [], history);
}

/**
 * A request with its history and the schema of the form version it was filed under, so that its
 * fields show as they were asked even after the form changed.
 */
export async function requestDetail(deps: Deps, request: ApprovalRequest, circulations: readonly Circulation[], history?: AuditEvent[]) {
  const formSchema = deps.forms.get(request.formId)?.versions.get(request.formVersion) ?? null;
  return { ...requestView(request, history ?? (await deps.requests.history(request.id))), formSchema, circulations };
}

export async function listMyRequests(deps: Deps, actor: Person, page: PageRequest): Promise<Page<ReturnType<typeof requestView>>> {
  const found = await deps.requests.listByRequester(actor.id, page);
  return { items: found.items.map((request) => requestView(request)), ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
}

async function commitOrConflict(deps: Deps, change: RequestChange) {
  try {
    await deps.requests.commit(change);
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw conflict({ ja: '申請の状態が変わりました。画面を更新してください。', en: 'The request changed meanwhile; reload and try again.' });
    }
    throw error;
  }
}

/** 引戻し. The waiting workflow is failed with Request.Withdrawn so that it ends at once. */
export async function withdrawRequest(deps: Deps, actor: Person, id: string, comment: string) {
  const change = await withFreshRead(async () => {
    const { request, tasks } = await loadRequest(deps, id);
    const next = withdraw(request, tasks, refOf(actor), comment, deps.clock.now().toISOString());
    await commitOrConflict(deps, next);
    return next;
  });
  // The waiting execution is stopped from the stream; unreached, it wakes at the stage's timeout and
  // Advance finds the request withdrawn.
  return requestView(change.request);
}

/** 再申請 of a sent-back request with edited data; the route is resolved again and starts over. */
export async function resubmitRequest(deps: Deps, actor: Person, id: string, input: unknown) {
  const change = await withFreshRead(async () => {
    const { request } = await loadRequest(deps, id);
    if (actor.id !== request.requester.id) {
      throw forbidden({ ja: '申請者本人だけが再申請できます。', en: 'Only the requester can resubmit a request.' });
    }
    if (request.status !== 'sent_back') {
      throw conflict({ ja: '差し戻された申請だけが再申請できます。', en: 'Only a sent-back request can be resubmitted.' });
    }
    // A request stays on the form version it was filed under; its schema is the current one of that form.
    const entry = formOf(deps, request.formId);
    const data = await validData(deps, entry, input, request.requester);
    const stages = await routeFor(deps, entry, request.requester, data);
    const reservations = (await entry.form.reserve?.(data, refOf(actor), formContext(deps, request.requester))) ?? [];
    const next = resubmit(request, refOf(actor), data, stages, reservations, deps.clock.now().toISOString());
    await commitReserving(deps, next);
    return next;
  });
  return requestView(change.request);
}

/** What the form page shows before filling in: facts the form computes (A15-3 counts). */
export async function formFacts(deps: Deps, formId: string) {
  const entry = formOf(deps, formId);
  return { notices: (await entry.form.context?.(formContext(deps))) ?? [] };
}

/**
 * "This request will go to: …" — the stages that apply to the data entered so far, with the people
 * they resolve to for the caller. Incomplete data is fine: conditions on missing fields do not hold.
 */
export async function previewRoute(deps: Deps, actor: Person, formId: string, data: Record<string, unknown>) {
  const entry = formOf(deps, formId);
  const route = await applicableStages(entry.form.route, data, deps.ledgers);
  const stages = await routeFor(deps, entry, requesterOf(actor), data);
  return {
    stages: stages.map((stage, index) => ({
      role: stage.role,
      label: stage.label,
      rule: stage.rule,
      approvers: stage.approvers,
      note: stage.note,
      when: route[index]?.when?.label ?? null,
    })),
  };
}
