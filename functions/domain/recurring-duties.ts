/**
 * The recurring duties of the regulations, opened from the ledgers by a daily run:
 *
 * - a password change every six months for each active user ID, assigned to its owner (A17-2);
 * - the deletion of a suspended ID on its scheduled date, for the system administrator (A16-5);
 * - the periodic usage analyses of servers, clients, server products and client products (S11, S21,
 *   S30, S39) and the internal audit of clients (S17-6), for IT infrastructure, with the ledger
 *   figures of the period attached.
 *
 * Also what completing one records: the password date on the ID, the ID deleted, the findings.
 */
import type { ClientProduct, ServerProduct } from '../ledgers/installations';
import type { Client } from '../ledgers/clients';
import type { Licence } from '../ledgers/licences';
import type { Product } from '../ledgers/products';
import type { Server } from '../ledgers/servers';
import { clientKinds } from '../ledgers/clients';
import { serverKinds } from '../ledgers/servers';
import type { UserId } from '../ledgers/user-ids';
import { systems } from '../ledgers/user-ids';
import { userIdLoginClaim, userIdPersonClaim } from '../forms/user-id-issue-request';
import type { LedgerEntry } from './approval';
import { ledgerEntries } from './approval';
import { japanDate } from './dates';
import type { Duty, DutyDraft, DutyFigures, DutyKind, FigureTable } from './duties';
import { cancelDuty, openDuty, reopenDuty } from './duties';
import { conflict, StaleWriteError, validationFailed } from './errors';
import type { LedgerItem, LedgerOp, LedgerReader, Page, Versioned } from './ledgers';
import type { Person, PersonRef } from './organisation';
import { refOf } from './organisation';
import type { Deps } from './ports';
import type { Text } from './text';
import type { RecordChange } from './versioned';
import { addDays } from './working-days';
import { everyItem } from './paging';

const pad = (n: number) => String(n).padStart(2, '0');

/** A Japan date some months later; a day the later month lacks becomes its last (08-31 + 6 → 02-28). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${pad(m)}-${pad(Math.min(day, last))}`;
}

/** The last day of the month a date lies in. */
const endOfMonth = (date: string) => addDays(addMonths(`${date.slice(0, 7)}-01`, 1), -1);

/** The calendar page of a duty done from the calendar. */
const dutyPath = (id: string) => `#/duties/${id}`;

// ---------------------------------------------------------------------------------------------
// Passwords (A17-2) and suspended IDs (A16-5)

/** A17-2: パスワードは、各ユーザが 6 ヶ月に一度、変更するよう設定する。 */
export const PASSWORD_INTERVAL_MONTHS = 6;

/** The Japan date the ID's password was last set: its last recorded change, else its issue. */
export const passwordSetOn = (item: Pick<UserId, 'passwordChangedAt' | 'issuedAt'>): string => japanDate(new Date(item.passwordChangedAt ?? item.issuedAt));

/** When the password must be changed next: six months after it was last set. */
export const passwordDueOn = (item: Pick<UserId, 'passwordChangedAt' | 'issuedAt'>): string => addMonths(passwordSetOn(item), PASSWORD_INTERVAL_MONTHS);

/** One password duty per ID and due date: the daily run and a completion agree on the id. */
export const passwordDutyId = (itemId: string, dueOn: string) => `password.${itemId}.${dueOn}`;

/** One deletion duty per suspended ID and scheduled date. */
export const idDeletionDutyId = (itemId: string, on: string) => `id-deletion.${itemId}.${on}`;

const systemName = (item: Pick<UserId, 'system'>): Text => systems[item.system] ?? { ja: item.system, en: item.system };

const idSubject = (item: UserId): Record<string, string> => ({
  ledger: 'user-ids',
  itemId: item.id,
  system: item.system,
  loginId: item.loginId,
  personId: item.personId,
});

/** The password change of an active ID, for its owner; escalated to the system administrator (the policy). */
export function passwordDutyDraft(item: UserId, owner: PersonRef): DutyDraft {
  const dueOn = passwordDueOn(item);
  const id = passwordDutyId(item.id, dueOn);
  const system = systemName(item);
  return {
    id,
    kind: 'password-change',
    title: { ja: `パスワード変更（${item.loginId} / ${system.ja}）`, en: `Password change (${item.loginId} / ${system.en})` },
    articles: ['A17-2'],
    assignees: [owner],
    role: 'sysAdmin',
    scopeId: '*',
    dueOn,
    path: dutyPath(id),
    subject: idSubject(item),
  };
}

/** The deletion of a suspended ID on its scheduled date, for the system administrators. */
export function idDeletionDutyDraft(item: UserId & { scheduledDeletionOn: string }, admins: PersonRef[]): DutyDraft {
  const id = idDeletionDutyId(item.id, item.scheduledDeletionOn);
  const system = systemName(item);
  return {
    id,
    kind: 'id-deletion',
    title: {
      ja: `利用停止IDの削除（${item.loginId} / ${system.ja}、${item.personName.ja}）`,
      en: `Deletion of a suspended ID (${item.loginId} / ${system.en}, ${item.personName.en})`,
    },
    articles: ['A16-5'],
    assignees: admins,
    role: 'sysAdmin',
    scopeId: '*',
    dueOn: item.scheduledDeletionOn,
    path: dutyPath(id),
    subject: { ...idSubject(item), ...(item.requestId ? { requestId: item.requestId } : {}) },
  };
}

/**
 * The duty an ID should have open now, by its state in the ledger: the next password change while it
 * is active, its deletion while it is suspended with a date, none once it is deleted.
 */
export function wantedIdDuty(item: UserId): { id: string; kind: 'password-change' | 'id-deletion' } | null {
  if (item.status === 'active') return { id: passwordDutyId(item.id, passwordDueOn(item)), kind: 'password-change' };
  if (item.status === 'suspended' && item.scheduledDeletionOn) return { id: idDeletionDutyId(item.id, item.scheduledDeletionOn), kind: 'id-deletion' };
  return null;
}

/** Why an open duty about an ID is no longer wanted, judged from the ID as the ledger has it now. */
export function whyNoLongerWanted(duty: Pick<Duty, 'kind'>, item: UserId | null): Text {
  if (!item) return { ja: 'IDがユーザID台帳にないため', en: 'the ID is not in the user ID ledger' };
  if (duty.kind === 'password-change') {
    return item.status === 'active'
      ? { ja: '台帳のパスワード変更日が変わったため', en: 'the ledger shows another password date' }
      : { ja: 'IDが利用停止または削除されたため', en: 'the ID was suspended or deleted' };
  }
  if (item.status === 'suspended') return { ja: '削除予定日が変わったため', en: 'the scheduled deletion date changed' };
  return item.status === 'deleted' ? { ja: 'IDが削除済みのため', en: 'the ID has been deleted' } : { ja: '利用停止が解除されたため', en: 'the suspension was lifted' };
}

// ---------------------------------------------------------------------------------------------
// Periodic usage analyses (S11, S21, S30, S39) and internal audits (S17-6)

/** A period the regulations' 「定期的に」 is read as: a half of the fiscal year, or the fiscal year (April–March). */
export type PeriodKind = 'half-year' | 'fiscal-year';

export interface Period {
  /** `2026H1` (April–September), `2026H2` (October–March), `FY2025`. */
  id: string;
  from: string;
  to: string;
  label: Text;
}

const slash = (date: string) => date.replaceAll('-', '/');

function halfYear(fiscalYear: number, half: 1 | 2): Period {
  const from = half === 1 ? `${fiscalYear}-04-01` : `${fiscalYear}-10-01`;
  const to = half === 1 ? `${fiscalYear}-09-30` : `${fiscalYear + 1}-03-31`;
  return {
    id: `${fiscalYear}H${half}`,
    from,
    to,
    label: {
      ja: `${fiscalYear}年度${half === 1 ? '上期' : '下期'}（${slash(from)}〜${slash(to)}）`,
      en: `FY${fiscalYear} ${half === 1 ? 'first' : 'second'} half (${slash(from)}–${slash(to)})`,
    },
  };
}

function fiscalYear(year: number): Period {
  const from = `${year}-04-01`;
  const to = `${year + 1}-03-31`;
  return { id: `FY${year}`, from, to, label: { ja: `${year}年度（${slash(from)}〜${slash(to)}）`, en: `FY${year} (${slash(from)}–${slash(to)})` } };
}

/** The latest period of this kind that has ended before `today` (a Japan date). */
export function lastEndedPeriod(kind: PeriodKind, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (kind === 'fiscal-year') return fiscalYear(month >= 4 ? year - 1 : year - 2);
  if (month >= 10) return halfYear(year, 1);
  return month >= 4 ? halfYear(year - 1, 2) : halfYear(year - 1, 1);
}

/** The ledgers a periodic duty's figures are counted from. */
export type FigureLedgers = {
  servers: Server[];
  clients: Client[];
  products: Product[];
  licences: Licence[];
  'server-products': ServerProduct[];
  'client-products': ClientProduct[];
};

export interface PeriodicDutySpec {
  /** What it covers; part of the duty id (`usage.servers.2026H1`). */
  key: 'servers' | 'clients' | 'server-products' | 'client-products' | 'client-audit';
  kind: Extract<DutyKind, 'usage-analysis' | 'internal-audit'>;
  articles: string[];
  name: Text;
  period: PeriodKind;
  /** Due at the end of the month this many months after the period ends. */
  dueMonthsAfter: number;
  /** The ledgers its figures need. */
  reads: (keyof FigureLedgers)[];
  figures(ledgers: FigureLedgers, period: Period): FigureTable[];
}

const t = (ja: string, en: string): Text => ({ ja, en });
const plain = (value: string): Text => ({ ja: value, en: value });
const TOTAL = t('合計', 'Total');

const within = (instant: string | undefined, period: Period) => {
  if (!instant) return false;
  const day = japanDate(new Date(instant));
  return day >= period.from && day <= period.to;
};

/**
 * A table of counts: one row per group (sorted by its key), one column per counter, and a total row.
 * Every counter counts the items it accepts.
 */
function countTable<T>(
  title: Text,
  ledger: string,
  items: readonly T[],
  group: (item: T) => { key: string; label: Text },
  counters: readonly { label: Text; counts: (item: T) => boolean }[],
): FigureTable {
  const rows = new Map<string, { label: Text; values: number[] }>();
  for (const item of items) {
    const { key, label } = group(item);
    const row = rows.get(key) ?? { label, values: counters.map(() => 0) };
    counters.forEach((counter, i) => {
      if (counter.counts(item)) row.values[i]++;
    });
    rows.set(key, row);
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const total = { label: TOTAL, values: counters.map((_, i) => sorted.reduce((sum, row) => sum + row.values[i], 0)) };
  return { title, ledger, columns: counters.map((counter) => counter.label), rows: [...sorted, total] };
}

const bySite = (item: { siteId: string }) => ({ key: item.siteId, label: plain(item.siteId) });

const lifecycleCounters = <T extends { status: string }>() => [
  { label: t('稼働中', 'Active'), counts: (item: T) => item.status === 'active' },
  { label: t('計画中', 'Planned'), counts: (item: T) => item.status === 'planned' },
  { label: t('廃止', 'Retired'), counts: (item: T) => item.status === 'retired' },
];

/** Per product: what is installed now, what was installed and removed in the period, and how many versions are in use. */
function installationTable<T extends ServerProduct | ClientProduct>(title: Text, ledger: string, items: readonly T[], products: readonly Product[], period: Period): FigureTable {
  const names = new Map(products.map((product) => [product.id, product.name]));
  const table = countTable(title, ledger, items, (item) => ({ key: item.productId, label: names.get(item.productId) ?? plain(item.productId) }), [
    { label: t('インストール中', 'Installed'), counts: (item) => item.status === 'installed' },
    { label: t('期間中のインストール', 'Installed in the period'), counts: (item) => within(item.installedAt, period) },
    { label: t('期間中のアンインストール', 'Removed in the period'), counts: (item) => within(item.removedAt, period) },
  ]);
  // Distinct versions in use cannot be summed like a count: a column of its own, from the items.
  const versions = new Map<string, Set<string>>();
  for (const item of items) if (item.status === 'installed') versions.set(item.productId, (versions.get(item.productId) ?? new Set()).add(item.version));
  const keys = [...new Set(items.map((item) => item.productId))].sort();
  const all = new Set(items.filter((item) => item.status === 'installed').map((item) => `${item.productId}#${item.version}`));
  return {
    ...table,
    columns: [...table.columns, t('使用中のバージョン数', 'Versions in use')],
    rows: table.rows.map((row, i) => ({ ...row, values: [...row.values, i < keys.length ? (versions.get(keys[i])?.size ?? 0) : all.size] })),
  };
}

/**
 * What each periodic duty covers. The articles say only 「定期的に」: the usage analyses are made every
 * half of the fiscal year, due at the end of the following month; the internal audit of clients once
 * a fiscal year, due at the end of June (it visits every department).
 */
export const periodicDuties: readonly PeriodicDutySpec[] = [
  {
    key: 'servers',
    kind: 'usage-analysis',
    articles: ['S11'],
    name: t('サーバ利用状況の把握と分析', 'Server usage analysis'),
    period: 'half-year',
    dueMonthsAfter: 1,
    reads: ['servers'],
    figures: (ledgers) => [
      countTable(t('拠点別のサーバ台数', 'Servers by site'), 'servers', ledgers.servers, bySite, [...lifecycleCounters<Server>(), { label: t('計', 'All'), counts: () => true }]),
      countTable(t('種別別のサーバ台数', 'Servers by kind'), 'servers', ledgers.servers, (item) => ({ key: item.kind, label: serverKinds[item.kind] ?? plain(item.kind) }), [
        ...lifecycleCounters<Server>(),
        { label: t('計', 'All'), counts: () => true },
      ]),
    ],
  },
  {
    key: 'clients',
    kind: 'usage-analysis',
    articles: ['S21'],
    name: t('クライアント利用状況の把握と分析', 'Client usage analysis'),
    period: 'half-year',
    dueMonthsAfter: 1,
    reads: ['clients'],
    figures: (ledgers) => [
      countTable(t('拠点別のクライアント台数', 'Clients by site'), 'clients', ledgers.clients, bySite, [
        ...lifecycleCounters<Client>(),
        { label: t('うち個人所有（稼働中）', 'Personal, active'), counts: (item) => item.status === 'active' && item.ownership === 'personal' },
        { label: t('計', 'All'), counts: () => true },
      ]),
      countTable(t('種別別のクライアント台数', 'Clients by kind'), 'clients', ledgers.clients, (item) => ({ key: item.kind, label: clientKinds[item.kind] ?? plain(item.kind) }), [
        ...lifecycleCounters<Client>(),
        { label: t('計', 'All'), counts: () => true },
      ]),
    ],
  },
  {
    key: 'server-products',
    kind: 'usage-analysis',
    articles: ['S30'],
    name: t('サーバプロダクト利用状況の把握と分析', 'Server product usage analysis'),
    period: 'half-year',
    dueMonthsAfter: 1,
    reads: ['server-products', 'products'],
    figures: (ledgers, period) => [installationTable(t('プロダクト別のインストール数（サーバ）', 'Installations by product (servers)'), 'server-products', ledgers['server-products'], ledgers.products, period)],
  },
  {
    key: 'client-products',
    kind: 'usage-analysis',
    articles: ['S39'],
    name: t('クライアント用プロダクト利用状況の把握と分析', 'Client product usage analysis'),
    period: 'half-year',
    dueMonthsAfter: 1,
    reads: ['client-products', 'products', 'licences'],
    figures: (ledgers, period) => [
      installationTable(t('プロダクト別のインストール数（クライアント）', 'Installations by product (clients)'), 'client-products', ledgers['client-products'], ledgers.products, period),
      {
        title: t('ライセンスの購入数・使用数・空き', 'Licence seats bought, used and free'),
        ledger: 'licences',
        columns: [t('購入数', 'Bought'), t('使用数', 'Used'), t('申請中（確保）', 'Held by requests'), t('空き', 'Free')],
        rows: [...ledgers.licences]
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((licence) => ({ label: licence.name, values: [licence.seatsBought, licence.seatsUsed, licence.seatsHeld, licence.seatsFree] })),
      },
    ],
  },
  {
    key: 'client-audit',
    kind: 'internal-audit',
    articles: ['S17-6'],
    name: t('クライアントの内部監査', 'Internal audit of clients'),
    period: 'fiscal-year',
    dueMonthsAfter: 3,
    reads: ['clients', 'client-products'],
    figures: (ledgers) => {
      const active = ledgers.clients.filter((client) => client.status === 'active');
      const personal = new Set(active.filter((client) => client.ownership === 'personal').map((client) => client.id));
      return [
        countTable(
          t('拠点・部署別の稼働中クライアント', 'Active clients by site and department'),
          'clients',
          active,
          (item) => ({ key: `${item.siteId}/${item.departmentId}`, label: plain(`${item.siteId} / ${item.departmentId}`) }),
          [
            { label: t('稼働中', 'Active'), counts: () => true },
            { label: t('うち個人所有', 'Personal'), counts: (item) => item.ownership === 'personal' },
            { label: t('サーバ接続承認済', 'Server access approved'), counts: (item) => item.serverAccessApproved },
            { label: t('サーバ接続未承認', 'Server access not approved'), counts: (item) => !item.serverAccessApproved },
          ],
        ),
        // S35-5, S48: no managed product on a personal device — the audit expects 0 in the last column.
        countTable(
          t('拠点別のプロダクトのインストール（個人所有端末を含む）', 'Product installations by site (personal devices included)'),
          'client-products',
          ledgers['client-products'].filter((item) => item.status === 'installed'),
          bySite,
          [
            { label: t('インストール中', 'Installed'), counts: () => true },
            { label: t('うち個人所有端末', 'On personal devices'), counts: (item) => personal.has(item.clientId) },
          ],
        ),
      ];
    },
  },
];

/** One duty per spec and period: `usage.servers.2026H1`, `audit.client-audit.FY2025`. */
export const periodicDutyId = (spec: Pick<PeriodicDutySpec, 'kind' | 'key'>, period: Pick<Period, 'id'>) => `${spec.kind === 'usage-analysis' ? 'usage' : 'audit'}.${spec.key}.${period.id}`;

/** The duty of a period, with its figures, for the holders of IT infrastructure. */
export function periodicDutyDraft(spec: PeriodicDutySpec, period: Period, figures: DutyFigures, assignees: PersonRef[]): DutyDraft {
  const id = periodicDutyId(spec, period);
  return {
    id,
    kind: spec.kind,
    title: { ja: `${spec.name.ja}（${period.label.ja.replace(/（.*$/, '')}）`, en: `${spec.name.en} (${period.label.en.replace(/ \(.*$/, '')})` },
    articles: spec.articles,
    assignees,
    role: 'itInfra',
    scopeId: '*',
    dueOn: endOfMonth(addMonths(period.to, spec.dueMonthsAfter)),
    path: dutyPath(id),
    subject: { period: period.id, scope: spec.key },
    figures,
  };
}

// ---------------------------------------------------------------------------------------------
// The daily run

export interface RecurringDutyRun {
  opened: number;
  reopened: number;
  cancelled: number;
}

/** Every item of a paged read. */
async function* pages<T>(read: (cursor?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

async function readLedger<T>(ledgers: LedgerReader, name: string): Promise<T[]> {
  return (await everyItem((cursor) => ledgers.list(name, { limit: 100, cursor }))) as unknown as T[];
}

/** Far enough ahead that every open duty is due before it. */
const EVERY_OPEN_DUTY = '9999-12-31';

/** Writes one duty change; a lost race (someone completed or opened it meanwhile) is left to the next run. */
async function tryCommit(deps: Pick<Deps, 'duties'>, change: RecordChange<Duty>): Promise<boolean> {
  try {
    await deps.duties.commit([change]);
    return true;
  } catch (error) {
    if (error instanceof StaleWriteError) return false;
    throw error;
  }
}

/**
 * Opens what the ledgers say is due and is not open yet, and cancels what they say is no longer due.
 * Idempotent: duty ids are derived from what they are about, an existing duty is left as it is (a
 * cancelled one is reopened when its subject comes back), so running twice changes nothing twice.
 *
 * - User IDs: the ledger is read page by page (a Query on its partition, never a Scan); each active ID
 *   gets its next password change, each suspended ID its deletion; open duties of an ID that no longer
 *   match its state are cancelled (the ID was suspended, deleted, or its dates changed). What is to
 *   change is decided again on a consistent read of the ID, so a stale page never cancels a fresh duty.
 * - Periodic duties: the latest ended period of each gets its duty, with the ledgers' figures as they
 *   stand when it opens.
 */
export async function openRecurringDuties(deps: Pick<Deps, 'duties' | 'ledgers' | 'directory' | 'clock'>): Promise<RecurringDutyRun> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = japanDate(now);
  const run: RecurringDutyRun = { opened: 0, reopened: 0, cancelled: 0 };

  // The open duties about IDs, by the ID, from the sparse index of open duties.
  const openById = new Map<string, Duty[]>();
  for await (const duty of pages((cursor) => deps.duties.openDueBefore(EVERY_OPEN_DUTY, { limit: 100, cursor }))) {
    if ((duty.kind === 'password-change' || duty.kind === 'id-deletion') && duty.subject.ledger === 'user-ids' && duty.subject.itemId) {
      openById.set(duty.subject.itemId, [...(openById.get(duty.subject.itemId) ?? []), duty]);
    }
  }

  let admins: PersonRef[] | null = null;
  const sysAdmins = async () => (admins ??= await deps.directory.holders('sysAdmin', '*'));

  const reconcile = async (itemId: string) => {
    // A consistent read decides; the page and the index only said where to look.
    const item = ((await deps.ledgers.get('user-ids', itemId)) as UserId | null) ?? null;
    const wanted = item ? wantedIdDuty(item) : null;
    for (const listed of openById.get(itemId) ?? []) {
      if (listed.id === wanted?.id) continue;
      const duty = await deps.duties.get(listed.id);
      if (duty?.status !== 'open') continue;
      if (await tryCommit(deps, cancelDuty(duty, at, null, whyNoLongerWanted(duty, item)))) run.cancelled++;
    }
    if (!item || !wanted) return;
    const existing = await deps.duties.get(wanted.id);
    if (existing?.status === 'cancelled') {
      const reason = { ja: '台帳のIDの状態に合わせて', en: 'the ID in the ledger calls for it again' };
      if (await tryCommit(deps, reopenDuty(existing, at, null, reason))) run.reopened++;
      return;
    }
    if (existing) return;
    const draft =
      wanted.kind === 'password-change'
        ? passwordDutyDraft(item, await ownerOf(deps, item))
        : idDeletionDutyDraft(item as UserId & { scheduledDeletionOn: string }, await sysAdmins());
    if (await tryCommit(deps, openDuty(draft, at, null))) run.opened++;
  };

  const seen = new Set<string>();
  for await (const listed of pages((cursor) => deps.ledgers.list('user-ids', { limit: 100, cursor }))) {
    const item = listed as unknown as UserId;
    seen.add(item.id);
    const wanted = wantedIdDuty(item);
    const open = openById.get(item.id) ?? [];
    const settled = open.every((duty) => duty.id === wanted?.id) && (!wanted || open.some((duty) => duty.id === wanted.id));
    if (!settled) await reconcile(item.id);
  }
  for (const itemId of openById.keys()) if (!seen.has(itemId)) await reconcile(itemId);

  // Several periodic duties read the same ledgers and assignees: each is read once per run.
  const ledgersRead = new Map<string, Promise<unknown[]>>();
  const ledger = (name: string) => ledgersRead.get(name) ?? ledgersRead.set(name, readLedger(deps.ledgers, name)).get(name)!;
  let infra: PersonRef[] | null = null;
  for (const spec of periodicDuties) {
    const period = lastEndedPeriod(spec.period, today);
    if (await deps.duties.get(periodicDutyId(spec, period))) continue;
    const ledgers = Object.fromEntries(await Promise.all(spec.reads.map(async (name) => [name, await ledger(name)] as const))) as Partial<FigureLedgers>;
    const figures: DutyFigures = { period, asOf: at, tables: spec.figures({ servers: [], clients: [], products: [], licences: [], 'server-products': [], 'client-products': [], ...ledgers }, period) };
    const assignees = (infra ??= await deps.directory.holders('itInfra', '*'));
    if (await tryCommit(deps, openDuty(periodicDutyDraft(spec, period, figures, assignees), at, null))) run.opened++;
  }
  return run;
}

/** The ID's owner as the directory knows them; as the ledger names them if they have left it. */
async function ownerOf(deps: Pick<Deps, 'directory'>, item: UserId): Promise<PersonRef> {
  const person = await deps.directory.person(item.personId);
  return person ? refOf(person) : { id: item.personId, name: item.personName };
}

// ---------------------------------------------------------------------------------------------
// Completion

/** What completing a duty writes besides the duty itself, in the same transaction. */
export interface CompletionEffects {
  duties: RecordChange<Duty>[];
  ledger: LedgerEntry[];
}

const NONE: CompletionEffects = { duties: [], ledger: [] };

async function idOf(deps: Pick<Deps, 'ledgers'>, duty: Duty): Promise<{ item: UserId; head: Versioned['head'] } | null> {
  if (duty.subject.ledger !== 'user-ids' || !duty.subject.itemId) return null;
  return (await deps.ledgers.getVersioned('user-ids', duty.subject.itemId)) as { item: UserId; head: Versioned['head'] } | null;
}

/**
 * The effects of completing a duty of one of the recurring kinds:
 * - a password change records the date on the ID and opens the next change, six months on — when the
 *   ID is still active (an ID suspended or deleted meanwhile needs no more changes);
 * - a deletion marks the suspended ID deleted and frees its names (one person one ID, one login:
 *   the person may be issued a new ID; the old login stays used, as its entry keeps it);
 * - an analysis or audit needs a note of its findings.
 */
export async function completionEffects(deps: Pick<Deps, 'ledgers'>, duty: Duty, caller: Person, at: string, note?: string): Promise<CompletionEffects> {
  const actor = refOf(caller);
  switch (duty.kind) {
    case 'password-change': {
      const found = await idOf(deps, duty);
      if (!found || found.item.status !== 'active') return NONE;
      const after: UserId = { ...found.item, passwordChangedAt: at };
      const next = passwordDutyDraft(after, duty.assignees[0] ?? actor);
      if (next.id === duty.id) {
        throw conflict({
          ja: `このIDのパスワードは本日設定されたばかりです。次回の変更期限は ${duty.dueOn} です（安全管理細則 第17条第2項）。`,
          en: `This ID's password was set today; the next change is due on ${duty.dueOn} (Security Rules Art. 17-2).`,
        });
      }
      const op: LedgerOp = {
        kind: 'update',
        ledger: 'user-ids',
        before: found as unknown as Versioned,
        after: after as unknown as LedgerItem,
        summary: { ja: `${caller.name.ja} がパスワード変更を確認しました（次回期限 ${next.dueOn}）`, en: `Password change confirmed by ${caller.name.en} (next due ${next.dueOn})` },
      };
      return { duties: [openDuty(next, at, actor)], ledger: ledgerEntries([op], '', at, actor) };
    }
    case 'id-deletion': {
      const found = await idOf(deps, duty);
      if (!found || found.item.status === 'deleted') return NONE;
      if (found.item.status !== 'suspended') {
        throw conflict({
          ja: 'このIDは利用停止中ではありません（利用停止が解除されています）。台帳を確認してください（安全管理細則 第16条第5項）。',
          en: 'This ID is no longer suspended; check the ledger (Security Rules Art. 16-5).',
        });
      }
      const item = found.item;
      const after: UserId = { ...item, status: 'deleted', deletedAt: at };
      const ops: LedgerOp[] = [
        {
          kind: 'update',
          ledger: 'user-ids',
          before: found as unknown as Versioned,
          after: after as unknown as LedgerItem,
          summary: { ja: `${caller.name.ja} が削除予定日の削除を確認しました`, en: `Deletion on the scheduled date confirmed by ${caller.name.en}` },
        },
        { kind: 'release', key: userIdPersonClaim(item.system, item.personId) },
        { kind: 'release', key: userIdLoginClaim(item.system, item.loginId) },
      ];
      return { duties: [], ledger: ledgerEntries(ops, '', at, actor) };
    }
    case 'usage-analysis':
    case 'internal-audit':
      if (!note?.trim()) {
        throw validationFailed([
          {
            path: 'note',
            messages: { ja: '分析・監査の結果（所見）を入力してください。', en: 'Write down the findings of the analysis or audit.' },
          },
        ]);
      }
      return NONE;
    default:
      return NONE;
  }
}
