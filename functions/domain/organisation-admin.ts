import * as z from 'zod';
import { changedFields } from './approval';
import type { AuditEvent } from './audit';
import { canonicalJson } from './audit';
import { formatCsv, parseCsv } from './csv';
import type { FieldIssue } from './errors';
import { StaleWriteError, badRequest, conflict, forbidden, notFound, validationFailed } from './errors';
import type { Article } from './form-definition';
import type { ImportRow } from './ledger-admin';
import { roleChangeMail } from './mail-templates';
import type { Absence, Directory, Person, PersonRef, RoleAssignment } from './organisation';
import { hasRole, refOf } from './organisation';
import type { Deps } from './ports';
import type { RoleId, ScopeKind } from './roles';
import { isRoleId, roleIds, roles } from './roles';
import type { Reassignment } from './stage-reassignment';
import { rerouteOpenTasks } from './stage-reassignment';
import type { Text } from './text';
import { describeIssue } from './validation';
import type { RecordChange, VersionedRecord } from './versioned';
import { recordChange } from './versioned';
import { historyView } from './views';

export type PlaceKind = 'site' | 'branch' | 'department';
export const placeKinds: readonly PlaceKind[] = ['branch', 'site', 'department'];
export const isPlaceKind = (value: string): value is PlaceKind => (placeKinds as readonly string[]).includes(value);

/** A person as the directory stores them: a versioned record with its own audit chain (`person#<id>`). */
export interface PersonRecord extends Person, VersionedRecord {}

/** A site, branch or department as stored (`site#<id>` …); a site belongs to one branch. */
export interface PlaceRecord extends VersionedRecord {
  kind: PlaceKind;
  id: string;
  name: Text;
  branchId?: string;
}

/** One write of an organisation change; the adapter writes a batch of them in one transaction. */
export type OrganisationWrite =
  | { kind: 'person'; change: RecordChange<PersonRecord>; previous: PersonRecord | null }
  | { kind: 'place'; change: RecordChange<PlaceRecord> };

/** The write side of the organisation directory; the DynamoDB directory implements it. */
export interface OrganisationStore {
  personRecord(id: string): Promise<PersonRecord | null>;
  personRecords(): Promise<PersonRecord[]>;
  placeRecord(kind: PlaceKind, id: string): Promise<PlaceRecord | null>;
  placeRecords(kind: PlaceKind): Promise<PlaceRecord[]>;
  absence(personId: string): Promise<Absence | null>;
  /** The audit chain of one directory record (`person#u-sato`, `site#site-tokyo`), oldest first. */
  directoryHistory(record: string): Promise<AuditEvent[]>;
  /** All or nothing; StaleWriteError when a record is no longer at the version it was read at. */
  commitOrganisation(writes: readonly OrganisationWrite[]): Promise<void>;
}

/** The articles the organisation pages implement: who holds which role decides every route. */
export const organisationArticles: Article[] = [
  { ref: 'S3', text: { ja: 'サーバのハードウェア及び、ＯＳを管理する責任者（管理担当者）に、情報システム部インフラ担当のメンバーがなる。', en: 'Members of IT infrastructure are the managers of the servers’ hardware and OS.' } },
  { ref: 'S5-3', text: { ja: '利用許可は、各拠点の管理者と責任者の承認の上、最終的に情報システム部インフラ担当の承認によって決定される。', en: 'Use is permitted after the site manager and the branch responsible approve, finally by IT infrastructure.' } },
  { ref: 'A2', text: { ja: '各拠点の安全管理は、安全管理責任者の指導の下、各拠点の長が行う。', en: 'Each site’s head keeps it safe under the security manager’s guidance.' } },
  { ref: 'A14', text: { ja: 'システム管理者は、動作履歴、使用記録等を記録し、その記録の改ざん、削除、破壊及び漏洩の防止策を実施する。', en: 'Records of operation are kept and protected against alteration and deletion.' } },
];

const who = (actor: Person) => ({ ja: actor.name.ja, en: actor.name.en });

/**
 * Only 情報システム部インフラ担当 administers the organisation: role assignments decide who approves
 * every route, and the team is where every route falls back to (S3, S5-3).
 */
function mustAdminister(actor: Person) {
  if (!hasRole(actor, 'itInfra')) {
    throw forbidden({ ja: '組織の管理は情報システム部インフラ担当だけが行えます。', en: 'Only IT infrastructure administers the organisation.' });
  }
}

// ---------------------------------------------------------------------------------------------
// Input: shapes (zod) and meaning (places exist, scopes match, ids and addresses are unique)

const ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const PLACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const bilingual = z.object({ ja: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }).strict();

/** A person as the administration API and the CSV import take them (roles as `{ role, scope }`). */
export const PersonInput = z
  .object({
    id: z.string().trim().regex(ID),
    name: bilingual,
    email: z.email().max(254),
    siteId: z.string().trim().min(1).max(128),
    departmentId: z.string().trim().min(1).max(128),
    roles: z
      .array(z.object({ role: z.string().min(1).max(64), scope: z.object({ kind: z.enum(['site', 'branch', 'department', 'company']), id: z.string().trim().min(1).max(128) }).strict() }).strict())
      .max(50)
      .default([]),
  })
  .strict();
type PersonInput = z.infer<typeof PersonInput>;

/** A site, branch or department as the administration API takes it (only a site names a branch). */
export const PlaceInput = z.object({ id: z.string().trim().regex(PLACE_ID), name: bilingual, branchId: z.string().trim().min(1).max(128).optional() }).strict();
type PlaceInput = z.infer<typeof PlaceInput>;

const personLabels: Record<string, Text> = {
  id: { ja: '社員ID', en: 'Person ID' },
  name: { ja: '氏名', en: 'Name' },
  email: { ja: 'メールアドレス', en: 'E-mail address' },
  siteId: { ja: '拠点', en: 'Site' },
  departmentId: { ja: '部署', en: 'Department' },
  roles: { ja: '役割', en: 'Roles' },
};

const kindLabels: Record<PlaceKind, Text> = {
  site: { ja: '拠点', en: 'Site' },
  branch: { ja: '支社', en: 'Branch' },
  department: { ja: '部署', en: 'Department' },
};

const placeLabels: Record<string, Text> = { id: { ja: 'ID', en: 'ID' }, name: { ja: '名称', en: 'Name' }, branchId: { ja: '支社', en: 'Branch' } };

function parse<T>(schema: z.ZodType<T>, input: unknown, labels: Record<string, Text>, prefix: string): T {
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) {
    throw validationFailed(
      result.error.issues.map((issue) => {
        // describeIssue names a field by its first path segment; each half of a bilingual name gets its own label.
        const half = issue.path.length === 2 && issue.path[0] === 'name' && labels.name ? String(issue.path[1]) : null;
        if (half !== 'ja' && half !== 'en') return describeIssue(issue, labels, prefix);
        const label = half === 'en' ? { ja: `${labels.name.ja}（英語）`, en: `${labels.name.en} (English)` } : { ja: labels.name.ja, en: `${labels.name.en} (Japanese)` };
        return describeIssue({ ...issue, path: [`name.${half}`] }, { [`name.${half}`]: label }, prefix);
      }),
    );
  }
  return result.data;
}

const at = (prefix: string, path: string) => [prefix, path].filter(Boolean).join('.');
const issue = (path: string, ja: string, en: string): FieldIssue => ({ path, messages: { ja, en } });

/** The places a person or a role may refer to, by kind and id. */
export interface Places {
  site: Map<string, PlaceRecord>;
  branch: Map<string, PlaceRecord>;
  department: Map<string, PlaceRecord>;
}

async function placesOf(store: OrganisationStore): Promise<Places> {
  const [branch, site, department] = await Promise.all([store.placeRecords('branch'), store.placeRecords('site'), store.placeRecords('department')]);
  const byId = (records: PlaceRecord[]) => new Map(records.map((r) => [r.id, r]));
  return { branch: byId(branch), site: byId(site), department: byId(department) };
}

const sortRoles = (assignments: readonly RoleAssignment[]) =>
  [...assignments].sort((a, b) => (a.role === b.role ? (a.scope.id < b.scope.id ? -1 : 1) : roleIds.indexOf(a.role) - roleIds.indexOf(b.role)));

const assignmentKey = (a: RoleAssignment) => `${a.role}#${a.scope.id}`;

/**
 * Checks a person's content against the places and the other people; returns the person as stored
 * (the branch follows the site; everyone is 利用者) and every problem found, each on its field.
 */
function checkPerson(input: PersonInput, places: Places, others: readonly Person[], prefix: string): { person: Person; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const site = places.site.get(input.siteId);
  if (!site) issues.push(issue(at(prefix, 'siteId'), `拠点「${input.siteId}」は登録されていません。`, `There is no site "${input.siteId}".`));
  if (!places.department.has(input.departmentId)) {
    issues.push(issue(at(prefix, 'departmentId'), `部署「${input.departmentId}」は登録されていません。`, `There is no department "${input.departmentId}".`));
  }
  const email = input.email.toLowerCase();
  const sharing = others.find((p) => p.id !== input.id && p.email.toLowerCase() === email);
  if (sharing) {
    issues.push(issue(at(prefix, 'email'), `メールアドレスは ${sharing.name.ja}（${sharing.id}）と重複しています。一人に一つのアドレスにしてください。`, `The address is already ${sharing.name.en}'s (${sharing.id}); each person needs their own.`));
  }
  const assignments: RoleAssignment[] = [];
  const seen = new Set<string>();
  input.roles.forEach((assignment, index) => {
    const path = at(prefix, `roles.${index}`);
    if (!isRoleId(assignment.role)) {
      issues.push(issue(`${path}.role`, `役割「${assignment.role}」はありません。`, `There is no role "${assignment.role}".`));
      return;
    }
    const info = roles[assignment.role];
    if (assignment.scope.kind !== info.scope) {
      issues.push(
        issue(
          `${path}.scope.kind`,
          `${info.label.ja}の範囲は${scopeWords[info.scope].ja}です（${scopeWords[assignment.scope.kind].ja}ではありません）。`,
          `${info.label.en} is held per ${scopeWords[info.scope].en}, not per ${scopeWords[assignment.scope.kind].en}.`,
        ),
      );
      return;
    }
    const scopeOk = info.scope === 'company' ? assignment.scope.id === '*' : places[info.scope].has(assignment.scope.id);
    if (!scopeOk) {
      issues.push(
        info.scope === 'company'
          ? issue(`${path}.scope.id`, `${info.label.ja}は全社の役割です（範囲は「*」）。`, `${info.label.en} is company-wide (scope "*").`)
          : issue(`${path}.scope.id`, `${scopeWords[info.scope].ja}「${assignment.scope.id}」は登録されていません。`, `There is no ${scopeWords[info.scope].en} "${assignment.scope.id}".`),
      );
      return;
    }
    const key = `${assignment.role}#${assignment.scope.id}`;
    if (seen.has(key)) {
      issues.push(issue(path, `${info.label.ja}（${assignment.scope.id}）が二度指定されています。`, `${info.label.en} (${assignment.scope.id}) is given twice.`));
      return;
    }
    seen.add(key);
    assignments.push({ role: assignment.role, scope: { kind: info.scope, id: assignment.scope.id } });
  });
  // Everyone files requests: 利用者 is implied.
  if (!seen.has('employee#*')) assignments.push({ role: 'employee', scope: { kind: 'company', id: '*' } });
  const person: Person = {
    id: input.id,
    name: input.name,
    email: input.email,
    siteId: input.siteId,
    branchId: site?.branchId ?? '',
    departmentId: input.departmentId,
    roles: sortRoles(assignments),
  };
  return { person, issues };
}

const scopeWords: Record<ScopeKind, Text> = {
  site: { ja: '拠点', en: 'site' },
  branch: { ja: '支社', en: 'branch' },
  department: { ja: '部署', en: 'department' },
  company: { ja: '全社', en: 'the company' },
};

const personFields = (p: Person): Person => ({
  id: p.id,
  name: p.name,
  email: p.email,
  siteId: p.siteId,
  branchId: p.branchId,
  departmentId: p.departmentId,
  roles: sortRoles(p.roles),
});

const samePerson = (a: Person, b: Person) => canonicalJson(personFields(a)) === canonicalJson(personFields(b));

const lost = (before: Person | null, after: Person) => (before ? before.roles.filter((r) => !after.roles.some((a) => assignmentKey(a) === assignmentKey(r))) : []);
const gained = (before: Person | null, after: Person) => after.roles.filter((r) => !(before?.roles ?? []).some((b) => assignmentKey(b) === assignmentKey(r)));

/** The directory as it will be once these people are written (a preview, and a read that never lags the write). */
export function directoryWith(base: Directory, changed: ReadonlyMap<string, Person>): Directory {
  return {
    person: async (id) => changed.get(id) ?? (await base.person(id)),
    holders: async (role, scopeId) => {
      const kept = (await base.holders(role, scopeId)).filter((p) => !changed.has(p.id));
      const added = [...changed.values()].filter((p) => p.roles.some((r) => r.role === role && r.scope.id === scopeId)).map(refOf);
      return [...kept, ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    ...(base.absenceOn ? { absenceOn: (personId: string, date: string) => base.absenceOn!(personId, date) } : {}),
  };
}

interface PersonChange {
  before: PersonRecord | null;
  after: Person;
}

/**
 * 情報システム部インフラ担当 may never become empty: it administers the organisation and every route
 * falls back to it. Each change that takes the last member away is refused on its roles.
 */
async function lastInfraIssues(directory: Directory, changes: readonly PersonChange[], pathOf: (change: PersonChange) => string): Promise<FieldIssue[]> {
  const removing = changes.filter((c) => c.before && hasRole(c.before, 'itInfra') && !c.after.roles.some((r) => r.role === 'itInfra'));
  if (removing.length === 0) return [];
  const after = await directoryWith(directory, new Map(changes.map((c) => [c.after.id, c.after]))).holders('itInfra', '*');
  if (after.length > 0) return [];
  return removing.map((c) =>
    issue(pathOf(c), '情報システム部インフラ担当が一人もいなくなるため、この役割は外せません。先に別の人を任命してください。', 'This would leave IT infrastructure with nobody; appoint someone else first.'),
  );
}

/** Roles that nobody would hold any more in a scope once the change is written: new requests go to IT infrastructure. */
async function vacancyWarnings(directory: Directory, changes: readonly PersonChange[], places: Places): Promise<Text[]> {
  const warnings: Text[] = [];
  const seen = new Set<string>();
  for (const change of changes) {
    for (const assignment of lost(change.before, change.after)) {
      const key = assignmentKey(assignment);
      if (assignment.role === 'employee' || seen.has(key)) continue;
      seen.add(key);
      if ((await directory.holders(assignment.role, assignment.scope.id)).length > 0) continue;
      const label = roles[assignment.role].label;
      const place = assignment.scope.kind === 'company' ? null : places[assignment.scope.kind].get(assignment.scope.id);
      const where = { ja: place ? `${place.name.ja}の` : '', en: place ? ` of ${place.name.en}` : '' };
      warnings.push({
        ja: `${where.ja}${label.ja}が誰もいなくなります。その間の申請は情報システム部インフラ担当に回付されます。`,
        en: `Nobody will be ${label.en}${where.en}; requests meanwhile go to IT infrastructure.`,
      });
    }
  }
  return warnings;
}

// ---------------------------------------------------------------------------------------------
// Views

export const personView = (record: Person & Partial<VersionedRecord>) => ({
  ...personFields(record),
  roles: sortRoles(record.roles).map((assignment) => ({ ...assignment, label: roles[assignment.role].label })),
  version: record.version ?? 0,
});

const placeView = (record: PlaceRecord) => ({ kind: record.kind, id: record.id, name: record.name, ...(record.branchId ? { branchId: record.branchId } : {}), version: record.version ?? 0 });

/** Everyone, every place and every role, for the administration page (IT infrastructure only). */
export async function getOrganisation(store: OrganisationStore, actor: Person) {
  mustAdminister(actor);
  const [people, branches, sites, departments] = await Promise.all([store.personRecords(), store.placeRecords('branch'), store.placeRecords('site'), store.placeRecords('department')]);
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    articles: organisationArticles,
    roles: roleIds.map((id) => ({ id, label: roles[id].label, scope: roles[id].scope })),
    people: byId(people).map(personView),
    branches: byId(branches).map(placeView),
    sites: byId(sites).map(placeView),
    departments: byId(departments).map(placeView),
  };
}

/** One person with the history of their record. */
export async function getPersonAdmin(store: OrganisationStore, actor: Person, id: string) {
  mustAdminister(actor);
  // An id no person can have is not looked up (nor sent to the database as a key).
  const record = ID.test(id) ? await store.personRecord(id) : null;
  if (!record) throw personNotFound(id);
  return { person: personView(record), history: (await store.directoryHistory(`person#${id}`)).map(historyView) };
}

const personNotFound = (id: string) => notFound({ ja: `組織名簿に ${id} はいません。`, en: `${id} is not in the organisation directory.` });
const changedMeanwhile = () => conflict({ ja: 'この情報は他の人が変更しました。画面を更新してください。', en: 'Someone else changed this; reload it.' });

// ---------------------------------------------------------------------------------------------
// People: one edit, or many from CSV, and what they mean for open stages

export interface PeopleOutcome {
  /** People written (or, in a preview, to be written). */
  changed: Person[];
  /** Open stages that changed hands (or would). */
  rerouted: Reassignment[];
  /** Roles nobody would hold any more: requests meanwhile go to IT infrastructure. */
  warnings: Text[];
  applied: boolean;
}

/**
 * Writes people (each a versioned record with its audit event) and then re-resolves the open stages
 * whose approvers lost the role they decided by. Refused before anything is written when an open stage
 * would be left with nobody to decide. `dryRun` works all of it out and writes nothing.
 */
async function applyPeople(deps: Deps, store: OrganisationStore, actor: Person, changes: readonly PersonChange[], places: Places, options: { reason: string; dryRun: boolean; source: 'edit' | 'csv' }): Promise<PeopleOutcome> {
  const real = changes.filter((c) => !c.before || !samePerson(c.before, c.after));
  const directory = directoryWith(deps.directory, new Map(real.map((c) => [c.after.id, c.after])));
  // An edit looks at the person's waiting tasks even when nothing changed: saving them again finishes a
  // hand-over that an interruption left half done. An import looks only at people who lost a role.
  const losing = (options.source === 'edit' ? changes.filter((c) => c.before) : real.filter((c) => lost(c.before, c.after).length > 0)).map((c) => c.after.id);
  const warnings = await vacancyWarnings(directory, real, places);
  const preview = await rerouteOpenTasks(deps, { people: losing, directory, absences: store, actor: refOf(actor), apply: false });
  if (preview.blocked.length > 0) {
    const list = preview.blocked.map((b) => `${b.requestId}（${b.formCode} ${b.stageLabel.ja}）`).join('、');
    const listEn = preview.blocked.map((b) => `${b.requestId} (${b.formCode} ${b.stageLabel.en})`).join(', ');
    throw conflict({
      ja: `承認待ちの申請 ${list} の判断者が誰もいなくなるため、この変更はできません。先に後任を任命してください。`,
      en: `Request ${listEn} would be left with nobody to decide it; appoint a successor first.`,
    });
  }
  if (options.dryRun) return { changed: real.map((c) => c.after), rerouted: preview.reassignments, warnings, applied: false };
  if (real.length === 0) {
    const finished = preview.reassignments.length > 0 ? await rerouteOpenTasks(deps, { people: losing, directory, absences: store, actor: refOf(actor), apply: true }) : preview;
    return { changed: [], rerouted: finished.reassignments, warnings, applied: false };
  }

  const now = deps.clock.now().toISOString();
  const reason = options.reason ? { ja: `：${options.reason}`, en: `: ${options.reason}` } : { ja: '', en: '' };
  const via = options.source === 'csv' ? { ja: 'CSVから', en: ' from CSV' } : { ja: '', en: '' };
  const writes: OrganisationWrite[] = real.map((c) => {
    const fields = personFields(c.after);
    const summary = c.before
      ? { ja: `${who(actor).ja} が${via.ja}変更しました${reason.ja}`, en: `Changed${via.en} by ${who(actor).en}${reason.en}` }
      : { ja: `${who(actor).ja} が${via.ja}登録しました${reason.ja}`, en: `Registered${via.en} by ${who(actor).en}${reason.en}` };
    const difference = c.before ? changedFields(personFields(c.before) as unknown as Record<string, unknown>, fields as unknown as Record<string, unknown>) : { before: null, after: { ...fields } };
    const change = recordChange<PersonRecord>(c.before, fields, `person#${fields.id}`, [
      { at: now, actor: refOf(actor), action: c.before ? 'updated' : 'created', summary, ...difference, ...(options.reason ? { after: { ...difference.after, reason: options.reason } } : {}) },
    ]);
    return { kind: 'person', change, previous: c.before };
  });
  // Up to 25 people per transaction: each is its record, its event and its role items.
  for (let i = 0; i < writes.length; i += 25) {
    try {
      await store.commitOrganisation(writes.slice(i, i + 25));
    } catch (error) {
      if (error instanceof StaleWriteError) throw changedMeanwhile();
      throw error;
    }
  }
  const done = await rerouteOpenTasks(deps, { people: losing, directory, absences: store, actor: refOf(actor), apply: true });
  for (const c of real) {
    const added = gained(c.before, c.after).filter((r) => r.role !== 'employee');
    const removed = lost(c.before, c.after).filter((r) => r.role !== 'employee');
    if (!c.before || (added.length === 0 && removed.length === 0)) continue;
    const label = (r: RoleAssignment) => ({ ja: `${roles[r.role].label.ja}${r.scope.id === '*' ? '' : `（${placeName(places, r).ja}）`}`, en: `${roles[r.role].label.en}${r.scope.id === '*' ? '' : ` (${placeName(places, r).en})`}` });
    await deps.mailer.send(roleChangeMail({ id: c.after.id, name: c.after.name, email: c.after.email }, added.map(label), removed.map(label), refOf(actor), `${deps.webBaseUrl}/#/inbox`));
  }
  return { changed: real.map((c) => c.after), rerouted: done.reassignments, warnings, applied: true };
}

function placeName(places: Places, assignment: RoleAssignment): Text {
  const kind = assignment.scope.kind;
  const place = kind === 'company' ? null : places[kind].get(assignment.scope.id);
  return place?.name ?? { ja: assignment.scope.id, en: assignment.scope.id };
}

export interface SavePersonInput {
  person: unknown;
  /** The version the editor saw; required to change a person, absent to register one. */
  version?: number;
  reason?: string;
  dryRun?: boolean;
}

/**
 * Registers (no `id`) or changes (`id` from the path) one person, audited; a change of their roles
 * re-resolves the open stages they decided by, and tells the people concerned.
 */
export async function savePerson(deps: Deps, store: OrganisationStore, actor: Person, input: SavePersonInput, id?: string) {
  mustAdminister(actor);
  const parsed = parse(PersonInput, input.person, personLabels, 'person');
  if (id !== undefined && parsed.id !== id) throw badRequest({ ja: 'URL の ID と社員IDが一致しません。', en: 'The id in the path and in the body differ.' });
  const [stored, places, people] = await Promise.all([store.personRecord(parsed.id), placesOf(store), store.personRecords()]);
  if (id !== undefined && !stored) throw personNotFound(id);
  if (stored && id !== undefined && input.version !== (stored.version ?? 0)) throw changedMeanwhile();
  const { person, issues } = checkPerson(parsed, places, people, 'person');
  if (id === undefined && stored) issues.unshift(issue('person.id', `社員ID ${parsed.id} は既に登録されています（${stored.name.ja}）。`, `Person ID ${parsed.id} is already taken (${stored.name.en}).`));
  if (issues.length === 0) issues.push(...(await lastInfraIssues(deps.directory, [{ before: stored, after: person }], () => 'person.roles')));
  if (issues.length > 0) throw validationFailed(issues);
  const outcome = await applyPeople(deps, store, actor, [{ before: stored, after: person }], places, { reason: input.reason ?? '', dryRun: Boolean(input.dryRun), source: 'edit' });
  const saved = outcome.applied ? await store.personRecord(person.id) : null;
  return {
    person: personView(saved ?? { ...person, version: stored?.version ?? 0 }),
    applied: outcome.applied,
    unchanged: outcome.changed.length === 0,
    rerouted: outcome.rerouted,
    warnings: outcome.warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Places

export interface SavePlaceInput {
  place: unknown;
  version?: number;
  reason?: string;
}

/**
 * Registers or renames a site, branch or department, audited. A site's branch is where its people's
 * branch-scoped roles (拠点責任者) are looked up, so it changes only while nobody is at the site.
 */
export async function savePlace(deps: Deps, store: OrganisationStore, actor: Person, kind: string, input: SavePlaceInput, id?: string) {
  mustAdminister(actor);
  if (!isPlaceKind(kind)) throw notFound({ ja: `「${kind}」という組織の種類はありません。`, en: `There is no kind of place "${kind}".` });
  const parsed = parse(PlaceInput, input.place, placeLabels, 'place');
  if (id !== undefined && parsed.id !== id) throw badRequest({ ja: 'URL の ID と項目の ID が一致しません。', en: 'The id in the path and in the body differ.' });
  const stored = await store.placeRecord(kind, parsed.id);
  if (id !== undefined && !stored) throw notFound({ ja: `${kindLabels[kind].ja} ${id} は登録されていません。`, en: `There is no ${kindLabels[kind].en.toLowerCase()} ${id}.` });
  if (stored && id !== undefined && input.version !== (stored.version ?? 0)) throw changedMeanwhile();
  const places = await placesOf(store);
  const issues = await checkPlace(kind, parsed, stored, places, store, 'place');
  if (id === undefined && stored) issues.unshift(issue('place.id', `${kindLabels[kind].ja} ${parsed.id} は既に登録されています（${stored.name.ja}）。`, `${kindLabels[kind].en} ${parsed.id} already exists (${stored.name.en}).`));
  if (issues.length > 0) throw validationFailed(issues);
  const write = placeWrite(kind, parsed, stored, actor, deps.clock.now().toISOString(), input.reason ?? '', '');
  if (write) {
    try {
      await store.commitOrganisation([write]);
    } catch (error) {
      if (error instanceof StaleWriteError) throw changedMeanwhile();
      throw error;
    }
  }
  // The place as just written (or as it stood, when nothing changed): no need to read it back.
  const saved = write?.kind === 'place' ? write.change.next : stored;
  return { place: placeView(saved!), unchanged: !write, history: (await store.directoryHistory(`${kind}#${parsed.id}`)).map(historyView) };
}

async function checkPlace(kind: PlaceKind, input: PlaceInput, stored: PlaceRecord | null, places: Places, store: OrganisationStore, prefix: string): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (kind !== 'site') {
    if (input.branchId !== undefined) issues.push(issue(at(prefix, 'branchId'), '支社を持つのは拠点だけです。', 'Only a site belongs to a branch.'));
    return issues;
  }
  if (!input.branchId) {
    issues.push(issue(at(prefix, 'branchId'), '拠点の「支社」を選んでください。', 'Choose the branch of the site.'));
    return issues;
  }
  if (!places.branch.has(input.branchId)) {
    issues.push(issue(at(prefix, 'branchId'), `支社「${input.branchId}」は登録されていません。`, `There is no branch "${input.branchId}".`));
    return issues;
  }
  if (stored?.branchId && stored.branchId !== input.branchId) {
    const staying = (await store.personRecords()).filter((p) => p.siteId === input.id);
    if (staying.length > 0) {
      issues.push(
        issue(
          at(prefix, 'branchId'),
          `この拠点には ${staying.length} 人が所属しているため、支社は変えられません。先に所属を移してください。`,
          `${staying.length} people belong to this site, so its branch cannot change; move them first.`,
        ),
      );
    }
  }
  return issues;
}

function placeWrite(kind: PlaceKind, input: PlaceInput, stored: PlaceRecord | null, actor: Person, now: string, reason: string, via: string): OrganisationWrite | null {
  const fields = { kind, id: input.id, name: input.name, ...(kind === 'site' && input.branchId ? { branchId: input.branchId } : {}) };
  const previous = stored ? { kind: stored.kind, id: stored.id, name: stored.name, ...(stored.branchId ? { branchId: stored.branchId } : {}) } : null;
  if (previous && canonicalJson(previous) === canonicalJson(fields)) return null;
  const because = reason ? { ja: `：${reason}`, en: `: ${reason}` } : { ja: '', en: '' };
  const summary = previous
    ? { ja: `${actor.name.ja} が${via}変更しました${because.ja}`, en: `Changed by ${actor.name.en}${because.en}` }
    : { ja: `${actor.name.ja} が${via}登録しました${because.ja}`, en: `Registered by ${actor.name.en}${because.en}` };
  const difference = previous ? changedFields(previous, fields) : { before: null, after: { ...fields } };
  const change = recordChange<PlaceRecord>(stored, fields, `${kind}#${input.id}`, [
    { at: now, actor: refOf(actor), action: previous ? 'updated' : 'created', summary, ...difference },
  ]);
  return { kind: 'place', change };
}

// ---------------------------------------------------------------------------------------------
// CSV: export and import, with a row-by-row report and "valid rows only"

interface CsvColumn {
  key: string;
  label: Text;
}

const peopleColumns: CsvColumn[] = [
  { key: 'id', label: { ja: '社員ID', en: 'Person ID' } },
  { key: 'name.ja', label: { ja: '氏名', en: 'Name' } },
  { key: 'name.en', label: { ja: '氏名（英語）', en: 'Name (English)' } },
  { key: 'email', label: { ja: 'メールアドレス', en: 'E-mail address' } },
  { key: 'siteId', label: { ja: '拠点ID', en: 'Site ID' } },
  { key: 'departmentId', label: { ja: '部署ID', en: 'Department ID' } },
  { key: 'roles', label: { ja: '役割', en: 'Roles' } },
];

const placeColumns: CsvColumn[] = [
  { key: 'kind', label: { ja: '種別', en: 'Kind' } },
  { key: 'id', label: { ja: 'ID', en: 'ID' } },
  { key: 'name.ja', label: { ja: '名称', en: 'Name' } },
  { key: 'name.en', label: { ja: '名称（英語）', en: 'Name (English)' } },
  { key: 'branchId', label: { ja: '支社ID', en: 'Branch ID' } },
];

export type OrganisationFile = 'people' | 'places';

/** Roles as one CSV cell: `siteManager@site-tokyo;itInfra` (利用者 is everyone's and left out). */
const rolesCell = (assignments: readonly RoleAssignment[]) =>
  sortRoles(assignments)
    .filter((a) => a.role !== 'employee')
    .map((a) => (a.scope.id === '*' ? a.role : `${a.role}@${a.scope.id}`))
    .join(';');

/**
 * The people (`people.csv`) or the places (`places.csv`) as CSV that Excel opens cleanly (UTF-8 with
 * BOM), in the columns the import reads.
 */
export async function exportOrganisationCsv(store: OrganisationStore, actor: Person, filename: string): Promise<{ filename: string; csv: string }> {
  mustAdminister(actor);
  const file: OrganisationFile | null = filename === 'people.csv' ? 'people' : filename === 'places.csv' ? 'places' : null;
  if (!file) throw notFound({ ja: `${filename} というファイルはありません（people.csv か places.csv）。`, en: `There is no file ${filename} (people.csv or places.csv).` });
  if (file === 'people') {
    const people = (await store.personRecords()).sort((a, b) => (a.id < b.id ? -1 : 1));
    const rows = people.map((p) => [p.id, p.name.ja, p.name.en, p.email, p.siteId, p.departmentId, rolesCell(p.roles)]);
    return { filename: 'people.csv', csv: formatCsv([peopleColumns.map((c) => c.label.ja), ...rows]) };
  }
  const rows: string[][] = [];
  for (const kind of placeKinds) {
    for (const place of (await store.placeRecords(kind)).sort((a, b) => (a.id < b.id ? -1 : 1))) rows.push([kind, place.id, place.name.ja, place.name.en, place.branchId ?? '']);
  }
  return { filename: 'places.csv', csv: formatCsv([placeColumns.map((c) => c.label.ja), ...rows]) };
}

const roleByName = new Map<string, RoleId>(roleIds.flatMap((id) => [[id.toLowerCase(), id] as [string, RoleId], [roles[id].label.ja, id] as [string, RoleId]]));
const kindByName = new Map<string, PlaceKind>([
  ['site', 'site'],
  ['branch', 'branch'],
  ['department', 'department'],
  ['拠点', 'site'],
  ['支社', 'branch'],
  ['部署', 'department'],
]);

/** Reads a roles cell; a scoped role without `@` is held where the person is (their site, branch or department). */
function rolesOf(cell: string, person: { siteId: string; departmentId: string; branchId: string }) {
  return cell
    .split(/[;；]/)
    .map((token) => token.trim())
    .filter(Boolean)
    .map((token) => {
      const [name, scopeId] = token.split('@').map((part) => part.trim());
      const role = roleByName.get(name.toLowerCase()) ?? roleByName.get(name);
      if (!role) return { role: name, scope: { kind: 'company' as const, id: '*' } };
      const kind = roles[role].scope;
      const implied = kind === 'site' ? person.siteId : kind === 'branch' ? person.branchId : kind === 'department' ? person.departmentId : '*';
      return { role: role as string, scope: { kind, id: scopeId || implied } };
    });
}

function headerMatches(header: readonly string[], columns: readonly CsvColumn[]) {
  const cells = header.map((cell) => cell.trim());
  return (
    cells.length === columns.length &&
    (cells.every((cell, i) => cell === columns[i].label.ja) || cells.every((cell, i) => cell === columns[i].key))
  );
}

function issuesOf(error: unknown): FieldIssue[] {
  if (error instanceof Error && 'issues' in error) return (error as { issues: FieldIssue[] }).issues;
  throw error;
}

export interface ImportInput {
  file: OrganisationFile;
  csv: string;
  validRowsOnly?: boolean;
  dryRun?: boolean;
}

/**
 * Loads people or places from CSV (the columns the export writes). Every row is checked first; a file
 * with any rejected row imports nothing unless `validRowsOnly` asks for the rows that passed. Rows that
 * change nothing are left alone. Each written row is audited like an edit, and people whose roles
 * changed have their open stages re-resolved as after an edit.
 */
export async function importOrganisationCsv(deps: Deps, store: OrganisationStore, actor: Person, input: ImportInput) {
  mustAdminister(actor);
  const rows = parseCsv(input.csv);
  const columns = input.file === 'people' ? peopleColumns : placeColumns;
  if (!headerMatches(rows[0] ?? [], columns)) {
    const expected = columns.map((c) => c.label.ja).join(', ');
    throw validationFailed([
      issue('csv', `1行目（見出し）が列と一致しません。書き出したCSVの見出し（${expected}）を使ってください。`, `The header row does not match; use the exported header (${expected}).`),
    ]);
  }
  const body = rows.slice(1).map((cells, index) => ({ row: index + 2, cells: cells.map((c) => c.trim()) }));
  return input.file === 'people' ? importPeople(deps, store, actor, body, input) : importPlaces(deps, store, actor, body, input);
}

const cellCountIssue = (cells: readonly string[], columns: readonly CsvColumn[]) =>
  cells.length === columns.length ? [] : [issue('row', `列の数が ${columns.length} ではありません（${cells.length}）。`, `Expected ${columns.length} cells, found ${cells.length}.`)];

async function importPeople(deps: Deps, store: OrganisationStore, actor: Person, body: { row: number; cells: string[] }[], input: ImportInput) {
  const [places, stored] = await Promise.all([placesOf(store), store.personRecords()]);
  const storedById = new Map(stored.map((p) => [p.id, p]));
  const report: ImportRow[] = [];
  const accepted: (PersonChange & { row: number })[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of body) {
    const [id = '', nameJa = '', nameEn = '', email = '', siteId = '', departmentId = '', rolesText = ''] = cells;
    const issues: FieldIssue[] = cellCountIssue(cells, peopleColumns);
    if (id && seen.has(id)) issues.push(issue('id', `社員ID ${id} がファイル内で重複しています（${seen.get(id)} 行目）。`, `Person ID ${id} appears twice in the file (row ${seen.get(id)}).`));
    if (id && !seen.has(id)) seen.set(id, row);
    const branchId = places.site.get(siteId)?.branchId ?? '';
    const raw = {
      id,
      name: { ja: nameJa, en: nameEn },
      email,
      siteId,
      departmentId,
      roles: rolesOf(rolesText, { siteId, departmentId, branchId }),
    };
    let person: Person | null = null;
    if (issues.length === 0) {
      try {
        const parsed = parse(PersonInput, raw, personLabels, '');
        // Addresses are unique against the file as it will be stored: the other rows and the people not in it.
        const others = [...stored.filter((p) => !accepted.some((a) => a.after.id === p.id)), ...accepted.map((a) => a.after)];
        const checked = checkPerson(parsed, places, others, '');
        issues.push(...checked.issues);
        person = checked.person;
      } catch (error) {
        issues.push(...issuesOf(error));
      }
    }
    if (!person || issues.length > 0) {
      report.push({ row, id: id || null, outcome: 'rejected', issues });
      continue;
    }
    const before = storedById.get(person.id) ?? null;
    accepted.push({ row, before, after: person });
    report.push({ row, id: person.id, outcome: !before ? 'created' : samePerson(before, person) ? 'unchanged' : 'updated', issues: [] });
  }
  const infra = await lastInfraIssues(deps.directory, accepted, () => 'roles');
  if (infra.length > 0) {
    for (const entry of accepted.filter((a) => a.before && hasRole(a.before, 'itInfra') && !hasRole(a.after, 'itInfra'))) {
      const line = report.find((r) => r.row === entry.row)!;
      line.outcome = 'rejected';
      line.issues = infra.slice(0, 1);
    }
  }
  const valid = accepted.filter((a) => report.find((r) => r.row === a.row)?.outcome !== 'rejected');
  const rejected = report.filter((r) => r.outcome === 'rejected').length;
  const imports = !input.dryRun && (rejected === 0 || Boolean(input.validRowsOnly));
  const outcome = await applyPeople(deps, store, actor, valid, places, { reason: '', dryRun: !imports, source: 'csv' });
  return {
    imported: outcome.applied ? outcome.changed.length : 0,
    rejected,
    unchanged: report.filter((r) => r.outcome === 'unchanged').length,
    applied: imports,
    rows: report,
    rerouted: outcome.rerouted,
    warnings: outcome.warnings,
  };
}

async function importPlaces(deps: Deps, store: OrganisationStore, actor: Person, body: { row: number; cells: string[] }[], input: ImportInput) {
  const places = await placesOf(store);
  const report: ImportRow[] = [];
  const writes: OrganisationWrite[] = [];
  const seen = new Map<string, number>();
  const now = deps.clock.now().toISOString();
  // Branches first, then sites (which name a branch), then departments, whatever the file's order.
  const ordered = [...body].sort((a, b) => placeKinds.indexOf(kindByName.get(a.cells[0]) ?? 'department') - placeKinds.indexOf(kindByName.get(b.cells[0]) ?? 'department') || a.row - b.row);
  for (const { row, cells } of ordered) {
    const [kindText = '', id = '', nameJa = '', nameEn = '', branchId = ''] = cells;
    const issues: FieldIssue[] = cellCountIssue(cells, placeColumns);
    const kind = kindByName.get(kindText);
    if (!kind) issues.push(issue('kind', `種別「${kindText}」は 拠点・支社・部署（site, branch, department）のどれかにしてください。`, `Kind "${kindText}" must be site, branch or department.`));
    const key = `${kind}#${id}`;
    if (kind && id && seen.has(key)) issues.push(issue('id', `${kindLabels[kind].ja} ${id} がファイル内で重複しています（${seen.get(key)} 行目）。`, `${kindLabels[kind].en} ${id} appears twice in the file (row ${seen.get(key)}).`));
    if (kind && id && !seen.has(key)) seen.set(key, row);
    let parsed: PlaceInput | null = null;
    if (issues.length === 0 && kind) {
      try {
        parsed = parse(PlaceInput, { id, name: { ja: nameJa, en: nameEn }, ...(branchId ? { branchId } : {}) }, placeLabels, '');
      } catch (error) {
        issues.push(...issuesOf(error));
      }
    }
    const stored = kind && parsed ? (places[kind].get(parsed.id) ?? null) : null;
    if (kind && parsed && issues.length === 0) issues.push(...(await checkPlace(kind, parsed, stored, places, store, '')));
    if (!kind || !parsed || issues.length > 0) {
      report.push({ row, id: id || null, outcome: 'rejected', issues });
      continue;
    }
    const write = placeWrite(kind, parsed, stored, actor, now, '', 'CSVから');
    // A branch in the file counts for the sites after it.
    if (write && write.kind === 'place') places[kind].set(parsed.id, write.change.next);
    if (write) writes.push(write);
    report.push({ row, id: parsed.id, outcome: !stored ? 'created' : write ? 'updated' : 'unchanged', issues: [] });
  }
  report.sort((a, b) => a.row - b.row);
  const rejected = report.filter((r) => r.outcome === 'rejected').length;
  const imports = !input.dryRun && (rejected === 0 || Boolean(input.validRowsOnly));
  if (imports) {
    for (let i = 0; i < writes.length; i += 40) {
      try {
        await store.commitOrganisation(writes.slice(i, i + 40));
      } catch (error) {
        if (error instanceof StaleWriteError) throw changedMeanwhile();
        throw error;
      }
    }
  }
  return { imported: imports ? writes.length : 0, rejected, unchanged: report.filter((r) => r.outcome === 'unchanged').length, applied: imports, rows: report, rerouted: [], warnings: [] };
}
