/**
 * Logbooks (記録簿): the records employees keep every day and the security manager (or the system
 * administrator, for access logs) reviews every month — L1 キャビネット開施錠記録簿 (A4(3)), L2 最終退出点検表
 * (A9), L3 入退受付票 (A8, A9), L4 サーバルーム入退記録簿 (A13(1)), L5 アクセスログ確認記録 (A14(3)).
 *
 * Entries are kept per logbook, site and month. An entry is added, later completed (locked again, the
 * visitor left, the server room was left) and, while the month's review is not completed, corrected;
 * a correction keeps the original in the entry's own audit chain. Once the month's review is completed
 * the month is closed: the store refuses every write to it.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { changedFields } from './approval';
import { japanDate } from './dates';
import type { FieldIssue } from './errors';
import { DomainError, StaleWriteError, conflict, forbidden, notFound, validationFailed } from './errors';
import type { Article } from './form-definition';
import type { Person, PersonRef, Place } from './organisation';
import { hasRole, refOf } from './organisation';
import type { Deps } from './ports';
import type { RoleId } from './roles';
import { roles } from './roles';
import type { Text } from './text';
import { describeIssue } from './validation';
import type { RecordChange, VersionedRecord } from './versioned';
import { recordChange } from './versioned';
import { historyView } from './views';

export type LogbookId = 'L1' | 'L2' | 'L3' | 'L4' | 'L5';

export const logbookIds: readonly LogbookId[] = ['L1', 'L2', 'L3', 'L4', 'L5'];

/** One line of a logbook. `fields` follow the logbook's schema; times are `HH:mm` Japan time on `date`. */
export interface LogbookEntry extends VersionedRecord {
  /** `E-<YYYYMMDD of date>-<6 characters>`: the date in the id finds the entry's key from its id alone. */
  id: string;
  logbook: LogbookId;
  siteId: string;
  /** YYYY-MM */
  month: string;
  /** YYYY-MM-DD, Japan */
  date: string;
  fields: Record<string, unknown>;
  recordedBy: PersonRef;
  recordedAt: string;
  updatedBy?: PersonRef;
  updatedAt?: string;
}

/** A rule across fields, declared so that the page and the server check the same thing. */
export type LogbookRule =
  /** `end` not before `start` (times `HH:mm` or dates `YYYY-MM-DD`, both compare as strings). */
  | { kind: 'order'; start: string; end: string; message: Text }
  /** `field` must be filled when `when.field` equals `when.equals`. */
  | { kind: 'requiredWhen'; field: string; when: { field: string; equals: string | boolean }; message: Text };

/** What keeps an entry open until someone records it later: the field is missing (or false). */
export interface OpenItem {
  field: string;
  label: Text;
}

/** The phone page's buttons: the common case first. */
export interface LogbookActions {
  /** The button that adds an entry (開錠, 入室, 受付 …). */
  record: Text;
  /** The button on an open entry that completes it (施錠, 退室, 退館・カード返却): the fields it sets. */
  finish?: { label: Text; sets: Record<string, 'now' | true> };
}

export interface LogbookDefinition {
  id: LogbookId;
  /** Kebab-case name for pages and links, e.g. `cabinet-locking`. */
  slug: string;
  title: Text;
  description: Text;
  /** Article references, e.g. `A4(3)`. */
  articles: string[];
  /** The same articles with their text, shown on every logbook page. */
  articleTexts: Article[];
  /** Who reviews the month (A4(3), A9, A13(1): 安全管理責任者; A14(3): システム管理者). */
  reviewerRole: 'securityManager' | 'sysAdmin';
  /** Whether the security manager may name someone else to review (A4(3), A9: 又は安全管理責任者が指名したもの). */
  nomineeAllowed: boolean;
  /** The entry's `fields`; field metadata (`x-label`, `x-widget`, `x-prefill`) rides on `.meta()`. */
  fields: z.ZodObject;
  rules: LogbookRule[];
  /** Fields recorded after the entry was made; anyone who may record at the site fills them. */
  laterFields: string[];
  /** The field holding the time the entry is about, for the order of the list. */
  timeField?: string;
  openItems: OpenItem[];
  actions: LogbookActions;
  /** The fields the month's list shows, in order. */
  listFields: string[];
  /** When set, only holders of these roles record, for any site (A14(3): the system administrator). */
  recorders?: RoleId[];
}

export type LogbookRegistry = ReadonlyMap<LogbookId, LogbookDefinition>;

// ---- rules -------------------------------------------------------------------------------------

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const ENTRY_ID = /^E-(\d{4})(\d{2})(\d{2})-[0-9A-Z]{6}$/;

/** Roles that keep every site's logbooks: IT infrastructure and the security manager (A2, A3). */
const EVERY_SITE: RoleId[] = ['itInfra', 'securityManager'];

/** The audit chain of an entry, e.g. `logbook-entry#L1.site-tokyo.2026-10.E-20261015-7KQ2MX`. */
export const logbookEntryRecord = (entry: Pick<LogbookEntry, 'logbook' | 'siteId' | 'month' | 'id'>) =>
  `logbook-entry#${entry.logbook}.${entry.siteId}.${entry.month}.${entry.id}`;

// Crockford-style alphabet without look-alikes, as request ids.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new entry id for a date: `E-20261015-7KQ2MX`. */
export function newEntryId(date: string): string {
  return `E-${date.replaceAll('-', '')}-${Array.from(randomBytes(6), (byte) => ALPHABET[byte % 32]).join('')}`;
}

/** The date an entry id carries (its place in the month's partition), or null for an id that is not one. */
export function dateOfEntryId(id: string): string | null {
  const match = ENTRY_ID.exec(id);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

export const isMonth = (value: string) => MONTH.test(value);

/** The month before a `YYYY-MM` month. */
export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

const JAPAN_CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The time in Japan as `HH:mm`. */
export function japanTime(instant: Date): string {
  return JAPAN_CLOCK.format(instant);
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || value === false;

/** Whether the person may add entries for the site (and fill in later fields of its entries). */
export function mayRecord(definition: LogbookDefinition, person: Pick<Person, 'roles' | 'siteId'>, siteId: string): boolean {
  if (EVERY_SITE.some((role) => hasRole(person, role))) return true;
  if (definition.recorders) return definition.recorders.some((role) => hasRole(person, role));
  return person.siteId === siteId;
}

/** 安全管理責任者が指名したもの (A4(3), A9): the security manager's nominee for one site's logbooks, where the article allows one. */
function isNominee(definition: LogbookDefinition, person: Pick<Person, 'roles'>, siteId: string): boolean {
  return definition.nomineeAllowed && person.roles.some((assignment) => (assignment.role as string) === 'logbookReviewer' && assignment.scope.id === siteId);
}

/** Whether the person may read the site's logbook: those who keep it, the site's people, its reviewer (or nominee). */
export function mayRead(definition: LogbookDefinition, person: Pick<Person, 'roles' | 'siteId'>, siteId: string): boolean {
  return mayRecord(definition, person, siteId) || person.siteId === siteId || hasRole(person, definition.reviewerRole) || isNominee(definition, person, siteId);
}

/** Whether the person may correct an entry: its recorder, the logbook's reviewer (or nominee), the security manager. */
export function mayCorrect(definition: LogbookDefinition, person: Pick<Person, 'id' | 'roles'>, entry: Pick<LogbookEntry, 'recordedBy' | 'siteId'>): boolean {
  return entry.recordedBy.id === person.id || hasRole(person, definition.reviewerRole) || hasRole(person, 'securityManager') || isNominee(definition, person, entry.siteId);
}

/** The open items of an entry (未施錠, 未退室 …): marked in the list until someone records them. */
export function openItemsOf(definition: LogbookDefinition, fields: Record<string, unknown>): OpenItem[] {
  return definition.openItems.filter((item) => isEmpty(fields[item.field]));
}

/**
 * Entries in the order they happened: by date, then by the logbook's time field, then by when they
 * were recorded. Both stores return a month in this order.
 */
export function sortEntries(definition: Pick<LogbookDefinition, 'timeField'> | undefined, entries: LogbookEntry[]): LogbookEntry[] {
  const time = (entry: LogbookEntry) => (definition?.timeField ? String(entry.fields[definition.timeField] ?? '') : '');
  const key = (entry: LogbookEntry) => `${entry.date}#${time(entry)}#${entry.recordedAt}#${entry.id}`;
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The message of a closed month (its review is completed): shown by the page and the API's 409. */
export function monthClosed(definition: Pick<LogbookDefinition, 'title'>, month: string): DomainError {
  return new DomainError(409, 'month_closed', {
    ja: `${month} の${definition.title.ja}は月次点検が完了しているため、記録・訂正できません。`,
    en: `The ${definition.title.en} for ${month} has been reviewed and is closed; entries can no longer be added or corrected.`,
  });
}

const staleEntry = () => conflict({ ja: 'この記録は他の人が変更しました。画面を更新してください。', en: 'Someone else changed this entry; reload it.' });

/** Empty inputs are absent fields: the page sends what it shows, and an empty optional field is not a value. */
function withoutEmpty(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([, value]) => value !== null && !(typeof value === 'string' && value.trim() === '')));
}

/** `x-label` of each field, from the schema's metadata. */
export function fieldLabels(definition: LogbookDefinition): Record<string, Text> {
  return Object.fromEntries(
    Object.entries(definition.fields.shape).flatMap(([key, field]) => {
      const label = (field as z.ZodType).meta()?.['x-label'] as Text | undefined;
      return label ? [[key, label]] : [];
    }),
  );
}

function fieldWidget(definition: LogbookDefinition, key: string): string | undefined {
  const field = definition.fields.shape[key] as z.ZodType | undefined;
  return field?.meta()?.['x-widget'] as string | undefined;
}

/** Checks an entry's fields against the logbook's schema and rules; every problem at once. */
export function parseFields(definition: LogbookDefinition, input: unknown, prefix = 'fields'): { ok: true; fields: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } {
  const labels = fieldLabels(definition);
  const result = definition.fields.safeParse(withoutEmpty(input) ?? {}, { reportInput: true });
  const issues: FieldIssue[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      const label = labels[key];
      // A time has one way to be written; say which, rather than "the format is wrong".
      if (issue.code === 'invalid_format' && fieldWidget(definition, key) === 'time') {
        issues.push({
          path: [prefix, key].join('.'),
          messages: { ja: `「${label?.ja ?? key}」は 時:分（例 09:05）で入力してください。`, en: `${label?.en ?? key} must be a time as HH:mm (e.g. 09:05).` },
        });
      } else {
        issues.push(describeIssue(issue, labels, prefix));
      }
    }
  }
  const raw = (result.success ? result.data : (withoutEmpty(input) ?? {})) as Record<string, unknown>;
  const reported = new Set(issues.map((issue) => issue.path));
  for (const rule of definition.rules) {
    const path = [prefix, rule.kind === 'order' ? rule.end : rule.field].join('.');
    if (reported.has(path)) continue;
    if (rule.kind === 'order') {
      const start = raw[rule.start];
      const end = raw[rule.end];
      if (typeof start === 'string' && typeof end === 'string' && start && end && end < start) issues.push({ path, messages: rule.message });
    } else if (raw[rule.when.field] === rule.when.equals && isEmpty(raw[rule.field])) {
      issues.push({ path, messages: rule.message });
    }
  }
  return issues.length > 0 || !result.success ? { ok: false, issues } : { ok: true, fields: result.data as Record<string, unknown> };
}

/** The date of a new entry: a real date, in the entry's month, not after today in Japan. */
export function dateIssues(date: unknown, month: string, today: string): FieldIssue[] {
  const label = { ja: '「日付」', en: 'Date' };
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    return [{ path: 'date', messages: { ja: `${label.ja}は正しい日付（YYYY-MM-DD）で入力してください。`, en: `${label.en} must be a valid date (YYYY-MM-DD).` } }];
  }
  if (!date.startsWith(`${month}-`)) {
    return [{ path: 'date', messages: { ja: `${label.ja}は ${month} の日付にしてください（この記録簿は月ごとです）。`, en: `${label.en} must lie in ${month} (the logbook is kept by month).` } }];
  }
  if (date > today) {
    return [{ path: 'date', messages: { ja: `${label.ja}に未来の日付は記録できません（今日は ${today}）。`, en: `${label.en} cannot be in the future (today is ${today}).` } }];
  }
  return [];
}

// ---- changes -----------------------------------------------------------------------------------

const nameList = (labels: Text[], lang: keyof Text) => labels.map((label) => label[lang]).join(lang === 'ja' ? '・' : ', ');

/** A new entry with its `recorded` event. */
export function recordEntry(
  definition: LogbookDefinition,
  input: { id: string; siteId: string; month: string; date: string; fields: Record<string, unknown> },
  by: PersonRef,
  at: string,
): RecordChange<LogbookEntry> {
  const entry: Omit<LogbookEntry, 'version' | 'audit'> = {
    id: input.id,
    logbook: definition.id,
    siteId: input.siteId,
    month: input.month,
    date: input.date,
    fields: input.fields,
    recordedBy: by,
    recordedAt: at,
  };
  return recordChange<LogbookEntry>(null, entry, logbookEntryRecord(entry), [
    {
      at,
      actor: by,
      action: 'logbook.entry.recorded',
      summary: { ja: `${by.name.ja} が記録しました（${input.date}）`, en: `Recorded by ${by.name.en} (${input.date})` },
      before: null,
      after: { date: input.date, ...input.fields },
    },
  ]);
}

/** Whether a change only fills later fields that were still empty (施錠, 退室, 退館・カード返却). */
export function isCompletion(definition: LogbookDefinition, before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const changed = Object.keys(changedFields(before, after).after);
  return changed.length > 0 && changed.every((key) => definition.laterFields.includes(key) && isEmpty(before[key]) && !isEmpty(after[key]));
}

/**
 * A change to an entry's fields: a completion (later fields filled) or a correction (anything else,
 * with its reason). The event keeps the changed fields before and after, so the original stays readable.
 */
export function changeEntry(
  definition: LogbookDefinition,
  entry: LogbookEntry,
  fields: Record<string, unknown>,
  by: PersonRef,
  at: string,
  reason: string,
): RecordChange<LogbookEntry> {
  const { before, after } = changedFields(entry.fields, fields);
  const completion = isCompletion(definition, entry.fields, fields);
  const labels = fieldLabels(definition);
  const named = Object.keys(after).map((key) => labels[key] ?? { ja: key, en: key });
  const summary = completion
    ? { ja: `${by.name.ja} が${nameList(named, 'ja')}を記録しました`, en: `${by.name.en} recorded ${nameList(named, 'en')}` }
    : { ja: `${by.name.ja} が訂正しました（${nameList(named, 'ja')}）：${reason}`, en: `Corrected by ${by.name.en} (${nameList(named, 'en')}): ${reason}` };
  const { version: _version, audit: _audit, ...rest } = entry;
  return recordChange<LogbookEntry>(entry, { ...rest, fields, updatedBy: by, updatedAt: at }, logbookEntryRecord(entry), [
    { at, actor: by, action: completion ? 'logbook.entry.completed' : 'logbook.entry.corrected', summary, before, after: completion ? after : { ...after, reason } },
  ]);
}

// ---- what the API shows ------------------------------------------------------------------------

const schemas = new WeakMap<LogbookDefinition, Record<string, unknown>>();

/** The JSON Schema of a logbook's fields (with `x-label`, `x-widget`, `x-prefill`), derived once per process. */
export function schemaOf(definition: LogbookDefinition): Record<string, unknown> {
  let schema = schemas.get(definition);
  if (!schema) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(definition.fields, { target: 'draft-2020-12' }) as Record<string, unknown>;
    schema = rest;
    schemas.set(definition, schema);
  }
  return schema;
}

/** A logbook as the page needs it: titles, articles with their text, the fields' JSON Schema, the buttons. */
export function describeLogbook(definition: LogbookDefinition) {
  const schema = schemaOf(definition);
  return {
    id: definition.id,
    slug: definition.slug,
    title: definition.title,
    description: definition.description,
    articles: definition.articleTexts,
    reviewer: { role: definition.reviewerRole, label: roles[definition.reviewerRole].label, nomineeAllowed: definition.nomineeAllowed },
    schema,
    rules: definition.rules,
    laterFields: definition.laterFields,
    timeField: definition.timeField ?? null,
    openItems: definition.openItems,
    actions: definition.actions,
    listFields: definition.listFields,
    recorders: definition.recorders ?? null,
  };
}

/** An entry as the API shows it: with its version (for a correction) and its open items; the chain head stays inside. */
export function entryView(definition: LogbookDefinition, entry: LogbookEntry, viewer?: Person) {
  return {
    id: entry.id,
    logbook: entry.logbook,
    siteId: entry.siteId,
    month: entry.month,
    date: entry.date,
    fields: entry.fields,
    recordedBy: entry.recordedBy,
    recordedAt: entry.recordedAt,
    updatedBy: entry.updatedBy ?? null,
    updatedAt: entry.updatedAt ?? null,
    version: entry.version,
    open: openItemsOf(definition, entry.fields),
    ...(viewer ? { mayCorrect: mayCorrect(definition, viewer, entry) } : {}),
  };
}

// ---- use cases ---------------------------------------------------------------------------------

type LogbookDeps = Pick<Deps, 'logbooks' | 'logbookDefinitions' | 'clock' | 'directory'>;

/** A logbook by its id (`L4`) or its slug (`server-room-access`). */
export function logbookOf(deps: Pick<Deps, 'logbookDefinitions'>, ref: string): LogbookDefinition {
  const definition = deps.logbookDefinitions.get(ref as LogbookId) ?? [...deps.logbookDefinitions.values()].find((d) => d.slug === ref);
  if (!definition) throw notFound({ ja: `記録簿「${ref}」はありません。`, en: `There is no logbook "${ref}".` });
  return definition;
}

function mustBeMonth(month: string) {
  if (!isMonth(month)) {
    throw validationFailed([{ path: 'month', messages: { ja: '月は YYYY-MM の形式で指定してください。', en: 'The month must be YYYY-MM.' } }]);
  }
}

async function siteOf(deps: LogbookDeps, siteId: string): Promise<Place> {
  const site = (await deps.logbooks.sites()).find((s) => s.id === siteId);
  if (!site) throw notFound({ ja: `拠点「${siteId}」はありません。`, en: `There is no site "${siteId}".` });
  return site;
}

const mayNotRead = (definition: LogbookDefinition) =>
  forbidden({ ja: `この拠点の${definition.title.ja}は閲覧できません。`, en: `You may not read this site's ${definition.title.en}.` });

const mayNotRecord = (definition: LogbookDefinition) =>
  forbidden(
    definition.recorders
      ? {
          ja: `${definition.title.ja}に記録できるのは${definition.recorders.map((role) => roles[role].label.ja).join('・')}です。`,
          en: `Only the ${definition.recorders.map((role) => roles[role].label.en).join(', ')} records the ${definition.title.en}.`,
        }
      : { ja: `この拠点の${definition.title.ja}には記録できません（記録できるのは拠点の所属者です）。`, en: `You may not record in this site's ${definition.title.en} (its own people do).` },
  );

/** The schema fields that name a person of the site (the escort): the page offers the site's people. */
function hasPersonField(definition: LogbookDefinition): boolean {
  return Object.keys(definition.fields.shape).some((key) => fieldWidget(definition, key) === 'person');
}

/** Person fields must name someone in the directory (the escort is an employee, A8-2). */
async function personIssues(deps: LogbookDeps, definition: LogbookDefinition, fields: Record<string, unknown>): Promise<FieldIssue[]> {
  const labels = fieldLabels(definition);
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(definition.fields.shape)) {
    if (fieldWidget(definition, key) !== 'person' || isEmpty(fields[key])) continue;
    if (!(await deps.directory.person(String(fields[key])))) {
      const label = labels[key] ?? { ja: key, en: key };
      issues.push({ path: `fields.${key}`, messages: { ja: `「${label.ja}」の社員が見つかりません。`, en: `${label.en}: no such employee.` } });
    }
  }
  return issues;
}

/**
 * The logbooks page: every logbook with its fields and buttons, the caller's site and the sites they
 * may keep logbooks for, and for the caller's site this month what is still open and what was
 * recorded today (the shortcuts on the page).
 */
export async function listLogbooks(deps: LogbookDeps, caller: Person) {
  const now = deps.clock.now();
  const today = japanDate(now);
  const month = today.slice(0, 7);
  const sites = await deps.logbooks.sites();
  const definitions = [...deps.logbookDefinitions.values()];
  const everySite = EVERY_SITE.some((role) => hasRole(caller, role)) || definitions.some((d) => d.recorders?.some((role) => hasRole(caller, role)));
  const home = sites.find((site) => site.id === caller.siteId) ?? null;
  const logbooks = await Promise.all(
    definitions.map(async (definition) => {
      const readable = mayRead(definition, caller, caller.siteId);
      const entries = readable ? await deps.logbooks.entries(definition.id, caller.siteId, month) : [];
      return {
        ...describeLogbook(definition),
        mayRecord: mayRecord(definition, caller, caller.siteId),
        /** The sites whose logbook of this kind the caller may open. */
        sites: sites.filter((site) => mayRead(definition, caller, site.id)).map((site) => site.id),
        thisMonth: { entries: entries.length, open: entries.filter((e) => openItemsOf(definition, e.fields).length > 0).length, today: entries.filter((e) => e.date === today).length },
      };
    }),
  );
  return {
    today,
    month,
    now: now.toISOString(),
    site: home,
    sites: everySite ? sites : home ? [home] : [],
    logbooks,
  };
}

/** A site's month of one logbook: its entries (oldest first), whether the month is closed, and what the caller may do. */
export async function logbookMonth(deps: LogbookDeps, caller: Person, ref: string, siteId: string, month: string) {
  const definition = logbookOf(deps, ref);
  mustBeMonth(month);
  if (!mayRead(definition, caller, siteId)) throw mayNotRead(definition);
  const site = await siteOf(deps, siteId);
  const [entries, closed, people] = await Promise.all([
    deps.logbooks.entries(definition.id, siteId, month),
    deps.logbooks.closed(definition.id, siteId, month),
    hasPersonField(definition) ? deps.logbooks.peopleAt(siteId) : Promise.resolve(undefined),
  ]);
  const today = japanDate(deps.clock.now());
  return {
    logbook: describeLogbook(definition),
    site,
    month,
    today,
    closed,
    mayRecord: !closed && mayRecord(definition, caller, siteId) && month <= today.slice(0, 7),
    entries: entries.map((entry) => entryView(definition, entry, caller)),
    ...(people ? { people } : {}),
  };
}

/** One entry with its history (the original and every completion and correction). */
export async function getLogbookEntry(deps: LogbookDeps, caller: Person, ref: string, siteId: string, month: string, id: string) {
  const definition = logbookOf(deps, ref);
  mustBeMonth(month);
  if (!mayRead(definition, caller, siteId)) throw mayNotRead(definition);
  const site = await siteOf(deps, siteId);
  const entry = await deps.logbooks.get(definition.id, siteId, month, id);
  if (!entry) throw notFound({ ja: `記録 ${id} は見つかりません。`, en: `Entry ${id} was not found.` });
  const [history, closed] = await Promise.all([deps.logbooks.history(entry), deps.logbooks.closed(definition.id, siteId, month)]);
  return {
    logbook: describeLogbook(definition),
    site,
    closed,
    mayRecord: !closed && mayRecord(definition, caller, siteId),
    entry: entryView(definition, entry, caller),
    history: history.map(historyView),
    ...(hasPersonField(definition) ? { people: await deps.logbooks.peopleAt(siteId) } : {}),
  };
}

async function commitOrExplain(deps: LogbookDeps, change: RecordChange<LogbookEntry>) {
  try {
    await deps.logbooks.commit(change);
  } catch (error) {
    if (error instanceof StaleWriteError) throw staleEntry();
    throw error;
  }
}

/** Adds an entry (A4(3), A9, A13(1), A14(3)): by someone who keeps the site's logbook, dated in its month, never in the future. */
export async function addLogbookEntry(deps: LogbookDeps, caller: Person, ref: string, siteId: string, month: string, input: { date: string; fields: Record<string, unknown> }) {
  const definition = logbookOf(deps, ref);
  mustBeMonth(month);
  if (!mayRecord(definition, caller, siteId)) throw mayNotRecord(definition);
  await siteOf(deps, siteId);
  if (await deps.logbooks.closed(definition.id, siteId, month)) throw monthClosed(definition, month);
  const now = deps.clock.now();
  const parsed = parseFields(definition, input.fields);
  const issues = [...dateIssues(input.date, month, japanDate(now)), ...(parsed.ok ? await personIssues(deps, definition, parsed.fields) : parsed.issues)];
  if (issues.length > 0 || !parsed.ok) throw validationFailed(issues);
  const change = recordEntry(definition, { id: newEntryId(input.date), siteId, month, date: input.date, fields: parsed.fields }, refOf(caller), now.toISOString());
  await commitOrExplain(deps, change);
  return { entry: entryView(definition, change.next, caller) };
}

/**
 * Changes an entry at the version the caller saw. Filling a later field that is still empty (施錠, 退室,
 * カード返却) is open to whoever keeps the site's logbook; anything else is a correction: only by the
 * recorder, the logbook's reviewer or the security manager, and with a reason. Either way the event
 * keeps what the fields were before.
 */
export async function updateLogbookEntry(
  deps: LogbookDeps,
  caller: Person,
  ref: string,
  siteId: string,
  month: string,
  id: string,
  input: { version: number; fields: Record<string, unknown>; reason?: string },
) {
  const definition = logbookOf(deps, ref);
  mustBeMonth(month);
  // A site that is not one is not looked up: its name would only make a key that cannot exist.
  await siteOf(deps, siteId);
  const entry = await deps.logbooks.get(definition.id, siteId, month, id);
  if (!entry) {
    if (!mayRead(definition, caller, siteId)) throw mayNotRead(definition);
    throw notFound({ ja: `記録 ${id} は見つかりません。`, en: `Entry ${id} was not found.` });
  }
  const parsed = parseFields(definition, input.fields);
  const next = parsed.ok ? parsed.fields : (withoutEmpty(input.fields) as Record<string, unknown>);
  const completion = isCompletion(definition, entry.fields, next ?? {});
  const allowed = completion ? mayRecord(definition, caller, siteId) || entry.recordedBy.id === caller.id : mayCorrect(definition, caller, entry);
  if (!allowed) {
    throw forbidden({
      ja: `この記録を訂正できるのは、記録した本人、${roles[definition.reviewerRole].label.ja}または安全管理責任者です。`,
      en: `Only the person who recorded this entry, the ${roles[definition.reviewerRole].label.en} or the security manager may correct it.`,
    });
  }
  if (await deps.logbooks.closed(definition.id, siteId, month)) throw monthClosed(definition, month);
  if (input.version !== entry.version) throw staleEntry();
  const reason = (input.reason ?? '').trim();
  const issues = parsed.ok ? await personIssues(deps, definition, parsed.fields) : parsed.issues;
  const changed = parsed.ok && Object.keys(changedFields(entry.fields, parsed.fields).after).length > 0;
  if (!completion && changed && !reason) {
    issues.push({ path: 'reason', messages: { ja: '訂正の理由を入力してください。', en: 'Enter the reason for the correction.' } });
  }
  if (issues.length > 0 || !parsed.ok) throw validationFailed(issues);
  // Nothing changed: nothing to record.
  if (!changed) return { entry: entryView(definition, entry, caller) };
  const change = changeEntry(definition, entry, parsed.fields, refOf(caller), deps.clock.now().toISOString(), reason);
  await commitOrExplain(deps, change);
  return { entry: entryView(definition, change.next, caller) };
}
