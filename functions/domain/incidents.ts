/**
 * C1 障害報告 (S10, S20, A18): a server, client or network incident as a case that moves through its
 * phases, each recorded with who and when:
 *
 *   reported → notified (S10-4) → recovered → recovery-notified (S10-5) → timeline-reported (S10-6)
 *   → cause-recorded (A18-6) → closed
 *
 * Anyone may report an occurrence; 情報システム部インフラ担当 records every later phase, one at a time
 * and in this order. A personal-information risk reaches the privacy manager with the occurrence
 * report (A18-4).
 */
import * as z from 'zod';
import type { CaseStore, DepartmentMember } from './cases';
import { caseIdOf, caseRecord, isCaseId, parseCaseInput } from './cases';
import { caseMailTo, incidentNoticeMail, incidentReceivedMail, privacyRiskMail } from './case-mails';
import { StaleWriteError, conflict, forbidden, notFound, validationFailed } from './errors';
import type { FieldIssue } from './errors';
import type { Page, PageRequest } from './ledgers';
import type { Directory, Person, PersonRef } from './organisation';
import { hasRole, refOf } from './organisation';
import type { Deps, OutgoingMail } from './ports';
import type { RoleId } from './roles';
import type { Text } from './text';
import type { VersionedRecord } from './versioned';
import { recordChange } from './versioned';
import { historyView } from './views';

export const incidentKinds = {
  server: { ja: 'サーバ障害', en: 'Server incident' },
  client: { ja: 'クライアント障害', en: 'Client incident' },
  network: { ja: 'ネットワーク障害', en: 'Network incident' },
} as const satisfies Record<string, Text>;

export type IncidentKind = keyof typeof incidentKinds;

/** The phases in their only order. A case's status is the last phase it reached. */
export const incidentPhases = ['reported', 'notified', 'recovered', 'recovery-notified', 'timeline-reported', 'cause-recorded', 'closed'] as const;

export type IncidentStatus = (typeof incidentPhases)[number];

/** What each phase is, as its step and its history line name it. */
export const phaseLabels: Record<IncidentStatus, Text> = {
  reported: { ja: '発生報告', en: 'Occurrence reported' },
  notified: { ja: '影響部署への発生連絡', en: 'Occurrence notice to affected departments' },
  recovered: { ja: '復旧の記録', en: 'Recovery recorded' },
  'recovery-notified': { ja: '影響部署への復旧連絡', en: 'Recovery notice to affected departments' },
  'timeline-reported': { ja: '経緯報告（発生から完了まで）', en: 'Timeline report (occurrence to completion)' },
  'cause-recorded': { ja: '原因と再発防止策', en: 'Cause and prevention' },
  closed: { ja: '完了', en: 'Closed' },
};

/** Where a case stands, as lists show it. */
export const statusLabels: Record<IncidentStatus, Text> = {
  reported: { ja: '報告受付', en: 'Reported' },
  notified: { ja: '発生連絡済み', en: 'Departments notified' },
  recovered: { ja: '復旧済み', en: 'Recovered' },
  'recovery-notified': { ja: '復旧連絡済み', en: 'Recovery notified' },
  'timeline-reported': { ja: '経緯報告済み', en: 'Timeline reported' },
  'cause-recorded': { ja: '原因・対策記録済み', en: 'Cause recorded' },
  closed: { ja: '完了', en: 'Closed' },
};

/** The article each phase fulfils. */
export const phaseArticles: Record<IncidentStatus, string[]> = {
  reported: ['S10-1', 'S20-1', 'A18-1'],
  notified: ['S10-4'],
  recovered: ['S10-5', 'S20-4'],
  'recovery-notified': ['S10-5', 'S20-4'],
  'timeline-reported': ['S10-6', 'S20-5'],
  'cause-recorded': ['A18-6'],
  closed: [],
};

/** A server or client from its ledger, or a system named in words (a network line, a cloud service). */
export type AffectedSystem = { ledger: 'servers' | 'clients'; id: string; name: string } | { name: string };

/** Why a person received a notice. */
export type RecipientReason =
  | { role: 'itInfra' | 'privacyManager' | 'sysAdmin' }
  | { role: 'siteManager'; siteId: string }
  | { role: 'deptHead' | 'member'; departmentId: string };

export interface NoticeRecipient extends PersonRef {
  because: RecipientReason[];
}

export interface IncidentPhase {
  phase: IncidentStatus;
  /** When the phase was recorded. */
  at: string;
  by: PersonRef;
  /** Who was e-mailed with this phase (the occurrence report and the three notices). */
  recipients?: NoticeRecipient[];
  /** Affected departments in which nobody could be found to tell (IT infrastructure passes it on). */
  unreachedDepartments?: string[];
  /** Words added to the notice by IT infrastructure. */
  message?: string;
}

export interface TimelineLine {
  at: string;
  text: string;
}

export interface Incident extends VersionedRecord {
  id: string;
  kind: IncidentKind;
  title: string;
  description: string;
  siteId: string;
  siteName: Text;
  systems: AffectedSystem[];
  affectedDepartments: { id: string; name: Text }[];
  /** When the incident began (as the reporter knows it). */
  startedAt: string;
  personalInfoRisk: boolean;
  personalInfoNote?: string;
  reporter: PersonRef;
  reportedAt: string;
  status: IncidentStatus;
  phases: IncidentPhase[];
  recovery?: { recoveredAt: string; action: string };
  timeline?: { summary: string; lines: TimelineLine[] };
  cause?: { cause: string; prevention: string };
  closingComment?: string;
  updatedAt: string;
}

// ---- inputs -------------------------------------------------------------------------------------

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const instant = z.iso.datetime({ offset: true });

export const IncidentReportInput = z
  .object({
    kind: z.enum(Object.keys(incidentKinds) as [IncidentKind, ...IncidentKind[]]),
    title: text(200),
    description: text(4000),
    siteId: text(128),
    systems: z
      .array(
        z
          .object({ ledger: z.enum(['servers', 'clients']).optional(), id: z.string().trim().max(128).optional(), name: z.string().trim().max(200).optional() })
          .strict(),
      )
      .min(1)
      .max(20),
    affectedDepartments: z.array(text(128)).min(1).max(50),
    startedAt: instant,
    personalInfoRisk: z.boolean(),
    personalInfoNote: optionalText(2000),
  })
  .strict()
  .meta({ id: 'IncidentReportBody' });

export type IncidentReportInput = z.infer<typeof IncidentReportInput>;

const version = z.number().int().min(1);

export const IncidentPhaseInput = z
  .discriminatedUnion('phase', [
    z.object({ phase: z.literal('notified'), version, message: optionalText(2000) }).strict(),
    z.object({ phase: z.literal('recovered'), version, recoveredAt: instant, action: text(4000) }).strict(),
    z.object({ phase: z.literal('recovery-notified'), version, message: optionalText(2000) }).strict(),
    z
      .object({ phase: z.literal('timeline-reported'), version, summary: text(4000), lines: z.array(z.object({ at: instant, text: text(500) }).strict()).max(50) })
      .strict(),
    z.object({ phase: z.literal('cause-recorded'), version, cause: text(4000), prevention: text(4000) }).strict(),
    z.object({ phase: z.literal('closed'), version, comment: optionalText(1000) }).strict(),
  ])
  .meta({ id: 'IncidentPhaseBody' });

export type IncidentPhaseInput = z.infer<typeof IncidentPhaseInput>;

/** Field names as error messages say them. */
export const incidentLabels: Record<string, Text> = {
  kind: { ja: '障害の種類', en: 'Kind of incident' },
  title: { ja: '件名（何が起きたか）', en: 'Title (what happened)' },
  description: { ja: '状況', en: 'Situation' },
  siteId: { ja: '発生拠点', en: 'Site' },
  systems: { ja: '影響を受けるシステム', en: 'Affected systems' },
  affectedDepartments: { ja: '影響部署', en: 'Affected departments' },
  startedAt: { ja: '発生日時', en: 'Started at' },
  personalInfoRisk: { ja: '個人情報に関するリスク', en: 'Personal-information risk' },
  personalInfoNote: { ja: '個人情報リスクの内容', en: 'About the personal-information risk' },
  phase: { ja: '記録する段階', en: 'Phase' },
  version: { ja: '版', en: 'Version' },
  message: { ja: '連絡に添える文', en: 'Message' },
  recoveredAt: { ja: '復旧日時', en: 'Recovered at' },
  action: { ja: '復旧のために行ったこと', en: 'What was done to recover' },
  summary: { ja: '経緯の概要', en: 'Summary' },
  lines: { ja: '経緯の記録', en: 'Timeline lines' },
  cause: { ja: '原因', en: 'Cause' },
  prevention: { ja: '再発防止策', en: 'Prevention' },
  comment: { ja: 'コメント', en: 'Comment' },
};

/** A clock a few minutes ahead of the reporter's is not a time in the future. */
const SKEW_MS = 5 * 60 * 1000;

const issue = (path: string, ja: string, en: string): FieldIssue => ({ path, messages: { ja, en } });

// ---- rules --------------------------------------------------------------------------------------

/** The phase that may be recorded next, or null once the case is closed. */
export function nextPhaseOf(status: IncidentStatus): IncidentStatus | null {
  return incidentPhases[incidentPhases.indexOf(status) + 1] ?? null;
}

/** IT infrastructure handles incidents (S10-1, S20-1). */
export const mayHandle = (person: Pick<Person, 'roles'>) => hasRole(person, 'itInfra');

/** The reporter, IT infrastructure, and everyone a notice of the case went to may read it. */
export function mayReadIncident(person: Pick<Person, 'id' | 'roles'>, incident: Incident): boolean {
  return (
    person.id === incident.reporter.id ||
    mayHandle(person) ||
    incident.phases.some((phase) => (phase.recipients ?? []).some((recipient) => recipient.id === person.id))
  );
}

/** Everyone once, with every reason they were chosen, in the order first found. */
export function mergeRecipients(found: readonly { person: PersonRef; because: RecipientReason }[]): NoticeRecipient[] {
  const merged = new Map<string, NoticeRecipient>();
  for (const { person, because } of found) {
    const existing = merged.get(person.id);
    if (existing) {
      if (!existing.because.some((reason) => JSON.stringify(reason) === JSON.stringify(because))) existing.because.push(because);
    } else {
      merged.set(person.id, { id: person.id, name: person.name, because: [because] });
    }
  }
  return [...merged.values()];
}

type RecipientLookup = { directory: Pick<Directory, 'holders'>; cases: Pick<CaseStore, 'departmentMembers'> };

const holdersOf = async (lookup: RecipientLookup, role: RoleId, scopeId: string, because: RecipientReason) =>
  (await lookup.directory.holders(role, scopeId)).map((person) => ({ person, because }));

/**
 * Who learns of an occurrence when it is reported: IT infrastructure, who handles it (S10-1, S20-1);
 * for a server or network incident the system administrator, who receives such reports (A18-1); for
 * a client incident the site's manager, who handles it with IT infrastructure (S20-1, S20-3). The
 * privacy manager is told separately (A18-4): see {@link privacyRecipients}.
 */
export async function occurrenceRecipients(lookup: RecipientLookup, incident: Pick<Incident, 'kind' | 'siteId'>): Promise<NoticeRecipient[]> {
  return mergeRecipients([
    ...(await holdersOf(lookup, 'itInfra', '*', { role: 'itInfra' })),
    ...(incident.kind === 'client'
      ? await holdersOf(lookup, 'siteManager', incident.siteId, { role: 'siteManager', siteId: incident.siteId })
      : await holdersOf(lookup, 'sysAdmin', '*', { role: 'sysAdmin' })),
  ]);
}

/** The privacy manager, when the occurrence carries a personal-information risk (A18-4); nobody otherwise. */
export async function privacyRecipients(lookup: RecipientLookup, incident: Pick<Incident, 'personalInfoRisk'>): Promise<NoticeRecipient[]> {
  return incident.personalInfoRisk ? mergeRecipients(await holdersOf(lookup, 'privacyManager', '*', { role: 'privacyManager' })) : [];
}

/**
 * The notice of an occurrence to the affected departments (S10-4): the head and the members of each
 * affected department, and IT infrastructure. A department in which nobody is found is named, so the
 * case shows it and IT infrastructure (who always receives the notice) passes it on.
 */
export async function departmentNoticeRecipients(
  lookup: RecipientLookup,
  incident: Pick<Incident, 'affectedDepartments'>,
): Promise<{ recipients: NoticeRecipient[]; unreachedDepartments: string[] }> {
  const departmentIds = incident.affectedDepartments.map((department) => department.id);
  const members: DepartmentMember[] = await lookup.cases.departmentMembers(departmentIds);
  const found: { person: PersonRef; because: RecipientReason }[] = [];
  const unreachedDepartments: string[] = [];
  for (const departmentId of departmentIds) {
    const heads = await holdersOf(lookup, 'deptHead', departmentId, { role: 'deptHead', departmentId });
    const people = members
      .filter((member) => member.departmentId === departmentId)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((member) => ({ person: { id: member.id, name: member.name }, because: { role: 'member', departmentId } as RecipientReason }));
    if (heads.length === 0 && people.length === 0) unreachedDepartments.push(departmentId);
    found.push(...heads, ...people);
  }
  found.push(...(await holdersOf(lookup, 'itInfra', '*', { role: 'itInfra' })));
  return { recipients: mergeRecipients(found), unreachedDepartments };
}

/** Those who received the occurrence notice: the recovery notice and the report go to them again (S10-5, S10-6). */
export function notifiedRecipients(incident: Incident): NoticeRecipient[] {
  return incident.phases.find((phase) => phase.phase === 'notified')?.recipients ?? [];
}

/** Refuses a step that is not the case's next one, or one made on a version the caller did not see. */
export function checkStep(incident: Incident, actor: Pick<Person, 'roles'>, step: Pick<IncidentPhaseInput, 'phase' | 'version'>): void {
  if (!mayHandle(actor)) {
    throw forbidden({ ja: '障害対応の段階を記録できるのは情報システム部インフラ担当だけです（第10条）。', en: 'Only IT infrastructure records the phases of an incident (Art. 10).' });
  }
  const next = nextPhaseOf(incident.status);
  if (!next) {
    throw conflict({ ja: `障害報告 ${incident.id} は完了しています。これ以上記録できません。`, en: `Incident ${incident.id} is closed; nothing more can be recorded.` });
  }
  if (step.phase !== next) {
    throw conflict({
      ja: `障害報告 ${incident.id} は「${statusLabels[incident.status].ja}」です。次に記録できるのは「${phaseLabels[next].ja}」で、「${phaseLabels[step.phase].ja}」はまだ（またはもう）記録できません。`,
      en: `Incident ${incident.id} is at "${statusLabels[incident.status].en}". The next phase is "${phaseLabels[next].en}"; "${phaseLabels[step.phase].en}" cannot be recorded now.`,
    });
  }
  if (step.version !== incident.version) {
    throw conflict({
      ja: `障害報告 ${incident.id} は他の担当者が更新しました。画面を更新して内容を確認してください。`,
      en: `Incident ${incident.id} was updated by someone else; reload it and check.`,
    });
  }
}

/** Times of a step that cannot be: before the incident began, or in the future. */
export function stepTimeIssues(incident: Pick<Incident, 'startedAt'>, step: IncidentPhaseInput, now: Date): FieldIssue[] {
  const future = (at: string) => new Date(at).getTime() > now.getTime() + SKEW_MS;
  const issues: FieldIssue[] = [];
  if (step.phase === 'recovered') {
    if (future(step.recoveredAt)) issues.push(issue('recoveredAt', '復旧日時に未来の日時は指定できません。', 'The recovery time cannot be in the future.'));
    else if (new Date(step.recoveredAt) < new Date(incident.startedAt)) {
      issues.push(issue('recoveredAt', '復旧日時は発生日時より後にしてください。', 'The recovery time must be after the incident began.'));
    }
  }
  if (step.phase === 'timeline-reported') {
    step.lines.forEach((line, index) => {
      if (future(line.at)) issues.push(issue(`lines.${index}.at`, '経緯の日時に未来の日時は指定できません。', 'A timeline line cannot be in the future.'));
    });
  }
  return issues;
}

/** What an audit event and a history line say about a phase. */
function phaseSummary(phase: IncidentStatus, recipients: number | null): Text {
  const label = phaseLabels[phase];
  return recipients === null ? { ...label } : { ja: `${label.ja}（${recipients}名へ連絡）`, en: `${label.en} (${recipients} people told)` };
}

/** The incident as reported: the first phase, with who was told of it. */
export function newIncident(
  fields: Omit<Incident, 'version' | 'audit' | 'status' | 'phases' | 'updatedAt' | 'reportedAt'>,
  at: string,
  recipients: NoticeRecipient[],
) {
  const phase: IncidentPhase = { phase: 'reported', at, by: fields.reporter, recipients };
  return recordChange<Incident>(
    null,
    { ...fields, reportedAt: at, status: 'reported', phases: [phase], updatedAt: at },
    caseRecord('incident', fields.id),
    [
      {
        at,
        actor: fields.reporter,
        action: 'incident.reported',
        summary: phaseSummary('reported', recipients.length),
        before: null,
        after: {
          status: 'reported',
          kind: fields.kind,
          title: fields.title,
          siteId: fields.siteId,
          affectedDepartments: fields.affectedDepartments.map((d) => d.id),
          startedAt: fields.startedAt,
          personalInfoRisk: fields.personalInfoRisk,
          recipients: recipients.map((r) => r.id),
        },
      },
    ],
  );
}

/**
 * Records the next phase. The caller has checked the step ({@link checkStep}) and found the
 * recipients of a notice; this builds the record as it will be and its audit event.
 */
export function advanceIncident(
  incident: Incident,
  step: IncidentPhaseInput,
  actor: PersonRef,
  at: string,
  notice: { recipients: NoticeRecipient[]; unreachedDepartments?: string[] } | null,
) {
  const { version: _version, audit: _audit, ...current } = incident;
  const phase: IncidentPhase = {
    phase: step.phase,
    at,
    by: actor,
    ...(notice ? { recipients: notice.recipients } : {}),
    ...(notice?.unreachedDepartments?.length ? { unreachedDepartments: notice.unreachedDepartments } : {}),
    ...('message' in step && step.message ? { message: step.message } : {}),
  };
  const next: Omit<Incident, 'version' | 'audit'> = { ...current, status: step.phase, phases: [...incident.phases, phase], updatedAt: at };
  const details: Record<string, unknown> = {};
  switch (step.phase) {
    case 'recovered':
      next.recovery = { recoveredAt: step.recoveredAt, action: step.action };
      Object.assign(details, next.recovery);
      break;
    case 'timeline-reported':
      next.timeline = { summary: step.summary, lines: [...step.lines].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)) };
      Object.assign(details, { summary: step.summary, lines: step.lines.length });
      break;
    case 'cause-recorded':
      next.cause = { cause: step.cause, prevention: step.prevention };
      Object.assign(details, next.cause);
      break;
    case 'closed':
      if (step.comment) next.closingComment = step.comment;
      if (step.comment) details.comment = step.comment;
      break;
    default:
      if (step.message) details.message = step.message;
  }
  return recordChange<Incident>(incident, next, caseRecord('incident', incident.id), [
    {
      at,
      actor,
      action: `incident.${step.phase}`,
      summary: phaseSummary(step.phase, notice ? notice.recipients.length : null),
      before: { status: incident.status },
      after: { status: step.phase, ...details, ...(notice ? { recipients: notice.recipients.map((r) => r.id) } : {}), ...(notice?.unreachedDepartments?.length ? { unreachedDepartments: notice.unreachedDepartments } : {}) },
    },
  ]);
}

export interface TimelineEntry {
  at: string;
  kind: 'started' | 'phase' | 'recovered' | 'line';
  label: Text;
  by?: PersonRef;
  detail?: string;
  phase?: IncidentStatus;
}

/**
 * The whole course of the incident in time order (S10-6): when it began, every phase with who
 * recorded it, the moment of recovery, and IT infrastructure's own lines.
 */
export function incidentTimeline(incident: Incident): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: incident.startedAt, kind: 'started', label: { ja: '障害発生', en: 'Incident began' }, detail: incident.title }];
  for (const phase of incident.phases) {
    const told = phase.recipients ? { ja: `${phase.recipients.length}名へ連絡`, en: `${phase.recipients.length} people told` } : null;
    entries.push({
      at: phase.at,
      kind: 'phase',
      phase: phase.phase,
      label: told ? { ja: `${phaseLabels[phase.phase].ja}（${told.ja}）`, en: `${phaseLabels[phase.phase].en} (${told.en})` } : phaseLabels[phase.phase],
      by: phase.by,
      ...(phase.message ? { detail: phase.message } : {}),
    });
  }
  if (incident.recovery) entries.push({ at: incident.recovery.recoveredAt, kind: 'recovered', label: { ja: '復旧', en: 'Recovered' }, detail: incident.recovery.action });
  for (const line of incident.timeline?.lines ?? []) entries.push({ at: line.at, kind: 'line', label: { ja: '経緯', en: 'Timeline' }, detail: line.text });
  const rank = { started: 0, line: 1, recovered: 2, phase: 3 } as const;
  // Stable by time; at the same instant the event comes before its record.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      const ta = new Date(a.entry.at).getTime();
      const tb = new Date(b.entry.at).getTime();
      return ta !== tb ? ta - tb : rank[a.entry.kind] - rank[b.entry.kind] || a.index - b.index;
    })
    .map(({ entry }) => entry);
}

// ---- views --------------------------------------------------------------------------------------

/** An incident as lists show it. */
export function incidentSummary(incident: Incident) {
  return {
    id: incident.id,
    kind: incident.kind,
    title: incident.title,
    siteId: incident.siteId,
    siteName: incident.siteName,
    startedAt: incident.startedAt,
    reportedAt: incident.reportedAt,
    reporter: incident.reporter,
    personalInfoRisk: incident.personalInfoRisk,
    status: incident.status,
    statusLabel: statusLabels[incident.status],
    next: nextPhaseOf(incident.status),
    updatedAt: incident.updatedAt,
  };
}

/** An incident as its page shows it: everything but the chain head, with its version for the next step. */
export function incidentView(incident: Incident) {
  const { audit: _audit, ...rest } = incident;
  return { ...rest, statusLabel: statusLabels[incident.status], next: nextPhaseOf(incident.status), timelineEntries: incidentTimeline(incident) };
}

// ---- use cases ----------------------------------------------------------------------------------

type CaseDeps = Pick<Deps, 'cases' | 'directory' | 'ledgers' | 'mailer' | 'clock' | 'ids' | 'webBaseUrl'>;

const incidentNotFound = (id: string) => notFound({ ja: `障害報告 ${id} は見つかりません。`, en: `Incident ${id} was not found.` });

async function loadIncident(deps: Pick<Deps, 'cases'>, id: string): Promise<Incident> {
  const incident = isCaseId('incident', id) ? await deps.cases.incident(id) : null;
  if (!incident) throw incidentNotFound(id);
  return incident;
}

export const incidentLink = (deps: Pick<Deps, 'webBaseUrl'>, id: string, report = false) => `${deps.webBaseUrl}/#/cases/incidents/${encodeURIComponent(id)}${report ? '/report' : ''}`;

/** The systems of a report: ledger picks must name an item of that ledger; words need a name. */
async function systemsOf(deps: Pick<Deps, 'ledgers'>, input: IncidentReportInput['systems'], issues: FieldIssue[]): Promise<AffectedSystem[]> {
  const systems: AffectedSystem[] = [];
  for (const [index, system] of input.entries()) {
    if (system.ledger) {
      if (!system.id) {
        issues.push(issue(`systems.${index}.id`, '台帳から選ぶ場合はサーバまたはクライアントを選択してください。', 'Choose the server or client from the ledger.'));
        continue;
      }
      const item = await deps.ledgers.get(system.ledger, system.id);
      if (!item) {
        const ledger = system.ledger === 'servers' ? { ja: 'サーバ台帳', en: 'server ledger' } : { ja: 'クライアント台帳', en: 'client ledger' };
        issues.push(issue(`systems.${index}.id`, `${ledger.ja}に「${system.id}」はありません。`, `The ${ledger.en} has no "${system.id}".`));
        continue;
      }
      const name = typeof item.label === 'string' ? item.label : ((item.name as Text | undefined)?.ja ?? system.id);
      systems.push({ ledger: system.ledger, id: system.id, name });
    } else if (system.name) {
      systems.push({ name: system.name });
    } else {
      issues.push(issue(`systems.${index}.name`, 'システム名を入力するか、台帳から選んでください。', 'Name the system or choose it from a ledger.'));
    }
  }
  return systems;
}

/** Sends one case mail to the people given, by their directory e-mail address. */
async function mailPeople(deps: Pick<Deps, 'directory' | 'mailer'>, people: readonly PersonRef[], build: (to: string[]) => OutgoingMail) {
  const emails = (await Promise.all(people.map((person) => deps.directory.person(person.id)))).flatMap((person) => (person ? [person.email] : []));
  for (const to of caseMailTo(emails)) await deps.mailer.send(build(to));
}

/**
 * 発生報告: anyone reports an occurrence. The case is stored with IT infrastructure (and the system
 * administrator or the site manager) as its first recipients, who are then e-mailed; a
 * personal-information risk e-mails the privacy manager at the same moment (A18-4).
 */
export async function reportIncident(deps: CaseDeps, actor: Person, input: unknown) {
  const data = parseCaseInput(IncidentReportInput, incidentLabels, input);
  const now = deps.clock.now();
  const issues: FieldIssue[] = [];
  const [sites, departments] = await Promise.all([deps.cases.places('site'), deps.cases.places('department')]);
  const site = sites.find((s) => s.id === data.siteId);
  if (!site) issues.push(issue('siteId', '発生拠点を選択肢から選んでください。', 'Choose the site from the list.'));
  const affectedDepartments = [...new Set(data.affectedDepartments)].flatMap((id, index) => {
    const department = departments.find((d) => d.id === id);
    if (!department) issues.push(issue(`affectedDepartments.${index}`, `部署「${id}」はありません。`, `There is no department "${id}".`));
    return department ? [{ id: department.id, name: department.name }] : [];
  });
  if (new Date(data.startedAt).getTime() > now.getTime() + SKEW_MS) {
    issues.push(issue('startedAt', '発生日時に未来の日時は指定できません。', 'The start cannot be in the future.'));
  }
  const systems = await systemsOf(deps, data.systems, issues);
  if (issues.length > 0) throw validationFailed(issues);

  const at = now.toISOString();
  const fields = {
    id: caseIdOf(deps.ids, 'incident', now),
    kind: data.kind,
    title: data.title,
    description: data.description,
    siteId: site!.id,
    siteName: site!.name,
    systems,
    affectedDepartments,
    startedAt: new Date(data.startedAt).toISOString(),
    personalInfoRisk: data.personalInfoRisk,
    ...(data.personalInfoRisk && data.personalInfoNote ? { personalInfoNote: data.personalInfoNote } : {}),
    reporter: refOf(actor),
  };
  const received = await occurrenceRecipients(deps, fields);
  const privacy = await privacyRecipients(deps, fields);
  const change = newIncident(fields, at, mergeRecipients([...received, ...privacy].flatMap((r) => r.because.map((because) => ({ person: r, because })))));
  await deps.cases.commitIncident(change);

  const incident = change.next;
  await mailPeople(deps, received, (to) => incidentReceivedMail(incident, to, incidentLink(deps, incident.id)));
  await mailPeople(deps, privacy, (to) => privacyRiskMail(incident, to, incidentLink(deps, incident.id)));
  return incidentView(incident);
}

/** Records the next phase of an incident; the notices of S10-4, S10-5 and S10-6 go out once it is stored. */
export async function recordIncidentPhase(deps: CaseDeps, actor: Person, id: string, input: unknown) {
  const step = parseCaseInput(IncidentPhaseInput, incidentLabels, input);
  const incident = await loadIncident(deps, id);
  checkStep(incident, actor, step);
  const now = deps.clock.now();
  const issues = stepTimeIssues(incident, step, now);
  if (issues.length > 0) throw validationFailed(issues);

  let notice: { recipients: NoticeRecipient[]; unreachedDepartments?: string[] } | null = null;
  if (step.phase === 'notified') notice = await departmentNoticeRecipients(deps, incident);
  if (step.phase === 'recovery-notified' || step.phase === 'timeline-reported') notice = { recipients: notifiedRecipients(incident) };

  const at = now.toISOString();
  const change = advanceIncident(incident, step, refOf(actor), at, notice);
  // The version was checked above; a writer that got in since is refused here, as a 409 too.
  try {
    await deps.cases.commitIncident(change);
  } catch (error) {
    if (error instanceof StaleWriteError) {
      throw conflict({ ja: `障害報告 ${id} は他の担当者が更新しました。画面を更新して内容を確認してください。`, en: `Incident ${id} was updated by someone else; reload it and check.` });
    }
    throw error;
  }
  const next = change.next;
  if (notice && (step.phase === 'notified' || step.phase === 'recovery-notified' || step.phase === 'timeline-reported')) {
    const link = incidentLink(deps, next.id, step.phase === 'timeline-reported');
    await mailPeople(deps, notice.recipients, (to) => incidentNoticeMail(next, step.phase as 'notified' | 'recovery-notified' | 'timeline-reported', to, link));
  }
  return incidentView(next);
}

/**
 * An incident with its history. For IT infrastructure, the next step comes with the people its
 * notice would reach, so they see whom they are about to tell.
 */
export async function getIncident(deps: Pick<Deps, 'cases' | 'directory'>, actor: Person, id: string) {
  const incident = await loadIncident(deps, id);
  if (!mayReadIncident(actor, incident)) {
    throw forbidden({ ja: 'この障害報告を閲覧する権限がありません。', en: 'You may not see this incident.' });
  }
  const history = (await deps.cases.history(caseRecord('incident', id))).map(historyView);
  const next = nextPhaseOf(incident.status);
  const handler = mayHandle(actor);
  let preview: { recipients: NoticeRecipient[]; unreachedDepartments: string[] } | null = null;
  if (handler && next === 'notified') preview = await departmentNoticeRecipients(deps, incident);
  if (handler && (next === 'recovery-notified' || next === 'timeline-reported')) preview = { recipients: notifiedRecipients(incident), unreachedDepartments: [] };
  return { ...incidentView(incident), history, mayHandle: handler, preview };
}

/** A person's own reports (`mine`), or every incident for IT infrastructure (`all`). */
export async function listIncidents(deps: Pick<Deps, 'cases'>, actor: Person, scope: 'mine' | 'all', page: PageRequest): Promise<Page<ReturnType<typeof incidentSummary>>> {
  if (scope === 'all' && !mayHandle(actor)) {
    throw forbidden({ ja: 'すべての障害報告を一覧できるのは情報システム部インフラ担当だけです。', en: 'Only IT infrastructure may list every incident.' });
  }
  const found = scope === 'all' ? await deps.cases.incidents(page) : await deps.cases.incidentsReportedBy(actor.id, page);
  return { items: found.items.map(incidentSummary), ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
}
