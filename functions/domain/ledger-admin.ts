import { ledgerEntries } from './approval';
import { canonicalJson } from './audit';
import { formatCsv, fromCells, parseCsv, toCells } from './csv';
import type { FieldIssue } from './errors';
import { ConditionFailedError, StaleWriteError, conflict, forbidden, notFound, validationFailed } from './errors';
import type { LedgerDefinition, LedgerItem, LedgerOp, LedgerQuery } from './ledgers';
import type { Person } from './organisation';
import { hasRole, refOf } from './organisation';
import type { Deps } from './ports';
import { historyView } from './views';
import { describeIssue } from './validation';
import { everyItem } from './paging';

export function ledgerOf(deps: Pick<Deps, 'ledgerDefinitions'>, name: string): LedgerDefinition {
  const definition = deps.ledgerDefinitions.get(name);
  if (!definition) throw notFound({ ja: `台帳「${name}」はありません。`, en: `There is no ledger "${name}".` });
  return definition;
}

const describe = (definition: LedgerDefinition) => ({
  name: definition.name,
  title: definition.title,
  description: definition.description,
  articles: definition.articles,
  columns: definition.columns,
  counters: definition.counters ?? [],
});

export const listLedgers = (deps: Pick<Deps, 'ledgerDefinitions'>) => ({ items: [...deps.ledgerDefinitions.values()].map(describe) });

export async function listLedger(deps: Deps, name: string, query: LedgerQuery) {
  const definition = ledgerOf(deps, name);
  return { ...describe(definition), ...(await deps.ledgers.list(name, query)) };
}

export async function getLedgerItem(deps: Deps, name: string, id: string) {
  ledgerOf(deps, name);
  const found = await deps.ledgers.getVersioned(name, id);
  if (!found) throw notFound({ ja: `台帳の項目 ${id} は見つかりません。`, en: `Ledger item ${id} was not found.` });
  return { item: found.item, version: found.head.seq, history: (await deps.ledgers.history(name, id)).map(historyView) };
}

/** Only 情報システム部インフラ担当 edits ledgers directly (the ledgers are theirs: S7, S14, S23, S32). */
function mustEdit(actor: Person) {
  if (!hasRole(actor, 'itInfra')) {
    throw forbidden({ ja: '台帳を直接編集できるのは情報システム部インフラ担当だけです。', en: 'Only IT infrastructure may edit ledgers directly.' });
  }
}

function validItem(definition: LedgerDefinition, input: unknown, prefix: string): LedgerItem {
  const labels = Object.fromEntries(definition.columns.map((c) => [c.key.split('.')[0], c.label]));
  const parsed = definition.item.safeParse(input, { reportInput: true });
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((issue) => describeIssue(issue, labels, prefix)));
  return parsed.data;
}

/** Keeps the counters only transactions move as they are stored, whatever an edit or a CSV says. */
function withStoredCounters(definition: LedgerDefinition, input: Record<string, unknown>, stored: LedgerItem | null) {
  if (!stored || !definition.counters) return input;
  const kept = { ...input };
  for (const counter of definition.counters) kept[counter] = stored[counter];
  return kept;
}

const editSummary = (actor: Person, reason: string, created: boolean) =>
  created
    ? { ja: `${actor.name.ja} が登録しました${reason ? `：${reason}` : ''}`, en: `Registered by ${actor.name.en}${reason ? `: ${reason}` : ''}` }
    : { ja: `${actor.name.ja} が直接編集しました${reason ? `：${reason}` : ''}`, en: `Edited directly by ${actor.name.en}${reason ? `: ${reason}` : ''}` };

/**
 * A direct edit (or creation) by IT infrastructure, audited like any other change. `version` is the
 * item's version as the editor saw it: an edit over someone else's change is refused (409).
 */
export async function saveLedgerItem(deps: Deps, actor: Person, name: string, input: { item: Record<string, unknown>; version?: number; reason?: string }) {
  mustEdit(actor);
  const definition = ledgerOf(deps, name);
  const id = String(input.item.id ?? '');
  const stored = id ? await deps.ledgers.getVersioned(name, id) : null;
  if (stored && input.version !== stored.head.seq) {
    throw conflict({ ja: 'この項目は他の人が変更しました。画面を更新してください。', en: 'Someone else changed this item; reload it.' });
  }
  if (!stored && input.version !== undefined && input.version !== 0) throw notFound({ ja: `台帳の項目 ${id} は見つかりません。`, en: `Ledger item ${id} was not found.` });
  const kept = withStoredCounters(definition, input.item, stored?.item ?? null);
  const bought = stored ? boughtSeatsChange(name, stored.item, kept) : 0;
  if (bought !== 0) kept.seatsFree = Number(stored?.item.seatsFree ?? 0) + bought;
  if (Number(kept.seatsFree) < 0) {
    throw validationFailed([
      {
        path: 'item.seatsBought',
        messages: { ja: '購入数を、使用中と申請中の合計より少なくはできません。', en: 'Seats bought cannot fall below the seats used and held.' },
      },
    ]);
  }
  const item = validItem(definition, kept, 'item');
  const summary = editSummary(actor, input.reason ?? '', !stored);
  // Buying (or giving up) seats moves seatsFree in the same write, never below zero.
  const op: LedgerOp = stored
    ? { kind: 'update', ledger: name, before: stored, after: item, summary, ...(bought !== 0 ? { adjust: { seatsFree: bought } } : {}) }
    : { kind: 'create', ledger: name, item, summary };
  try {
    await deps.ledgers.commit(ledgerEntries([op], '', deps.clock.now().toISOString(), refOf(actor)));
  } catch (error) {
    if (error instanceof StaleWriteError || (error instanceof ConditionFailedError && error.target === 'ledger')) {
      throw conflict({ ja: 'この項目は他の人が変更しました。画面を更新してください。', en: 'Someone else changed this item; reload it.' });
    }
    throw error;
  }
  return getLedgerItem(deps, name, item.id);
}

const allItems = (deps: Deps, name: string): Promise<LedgerItem[]> => everyItem((cursor) => deps.ledgers.list(name, { limit: 100, cursor }));

/** The whole ledger as CSV that Excel opens cleanly: UTF-8 with BOM, a header row of Japanese labels. */
export async function exportLedgerCsv(deps: Deps, name: string): Promise<{ filename: string; csv: string }> {
  const definition = ledgerOf(deps, name);
  const items = await allItems(deps, name);
  const rows = [definition.columns.map((c) => c.label.ja), ...items.map((item) => toCells(item, definition.columns))];
  return { filename: `${name}.csv`, csv: formatCsv(rows) };
}

export interface ImportRow {
  row: number;
  id: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  issues: FieldIssue[];
}

/**
 * Loads a ledger from the CSV it exports (so a company can bring its existing ledger). Every row is
 * checked first; a file with any rejected row imports nothing unless `validRowsOnly` asks to import
 * the rows that passed. Each written row is audited like a direct edit.
 */
export async function importLedgerCsv(deps: Deps, actor: Person, name: string, input: { csv: string; validRowsOnly?: boolean; dryRun?: boolean }) {
  mustEdit(actor);
  const definition = ledgerOf(deps, name);
  const rows = parseCsv(input.csv);
  const header = rows[0] ?? [];
  const expected = definition.columns.map((c) => c.label.ja);
  const matchesJa = header.length === expected.length && header.every((cell, i) => cell.trim() === expected[i]);
  const matchesKeys = header.length === expected.length && header.every((cell, i) => cell.trim() === definition.columns[i].key);
  if (!matchesJa && !matchesKeys) {
    throw validationFailed([
      {
        path: 'csv',
        messages: {
          ja: `1行目（見出し）が台帳の列と一致しません。書き出したCSVの見出し（${expected.join(', ')}）を使ってください。`,
          en: `The header row does not match the ledger's columns; use the exported header (${expected.join(', ')}).`,
        },
      },
    ]);
  }
  const at = deps.clock.now().toISOString();
  const report: ImportRow[] = [];
  const ops: LedgerOp[] = [];
  const seen = new Set<string>();
  for (const [index, cells] of rows.slice(1).entries()) {
    const rowNumber = index + 2;
    const { item: raw, errors } = fromCells(cells, definition.columns);
    const issues: FieldIssue[] = errors.map((e) => ({ path: e.column, messages: e.message }));
    const id = typeof raw.id === 'string' ? raw.id : null;
    if (cells.length !== definition.columns.length) {
      issues.push({ path: 'row', messages: { ja: `列の数が ${definition.columns.length} ではありません（${cells.length}）。`, en: `Expected ${definition.columns.length} cells, found ${cells.length}.` } });
    }
    if (id && seen.has(id)) issues.push({ path: 'id', messages: { ja: `ID ${id} がファイル内で重複しています。`, en: `ID ${id} appears twice in the file.` } });
    if (id) seen.add(id);
    const stored = id ? await deps.ledgers.getVersioned(name, id) : null;
    let item: LedgerItem | null = null;
    if (issues.length === 0) {
      try {
        item = validItem(definition, withStoredCounters(definition, raw, stored?.item ?? null), '');
      } catch (error) {
        if (error instanceof Error && 'issues' in error) issues.push(...(error as { issues: FieldIssue[] }).issues);
        else throw error;
      }
    }
    if (!item || issues.length > 0) {
      report.push({ row: rowNumber, id, outcome: 'rejected', issues });
      continue;
    }
    const summary = { ja: `${actor.name.ja} がCSVから取り込みました`, en: `Imported from CSV by ${actor.name.en}` };
    if (!stored) {
      ops.push({ kind: 'create', ledger: name, item, summary });
      report.push({ row: rowNumber, id: item.id, outcome: 'created', issues: [] });
    } else if (canonicalJson(stored.item) === canonicalJson(item)) {
      report.push({ row: rowNumber, id: item.id, outcome: 'unchanged', issues: [] });
    } else {
      ops.push({ kind: 'update', ledger: name, before: stored, after: item, summary });
      report.push({ row: rowNumber, id: item.id, outcome: 'updated', issues: [] });
    }
  }
  const rejected = report.filter((r) => r.outcome === 'rejected').length;
  const imports = !input.dryRun && (rejected === 0 || Boolean(input.validRowsOnly));
  if (imports) {
    // Rows go in small transactions, each row's item and its audit event together.
    for (let i = 0; i < ops.length; i += 10) {
      try {
        await deps.ledgers.commit(ledgerEntries(ops.slice(i, i + 10), '', at, refOf(actor)));
      } catch (error) {
        if (error instanceof StaleWriteError || (error instanceof ConditionFailedError && error.target === 'ledger')) {
          throw conflict({
            ja: `取り込み中に他の人が台帳を変更しました。${i} 行目までは取り込み済みです。もう一度取り込んでください（取り込み済みの行は「変更なし」になります）。`,
            en: `Someone changed the ledger during the import; ${i} rows were imported. Import the file again (those rows will be unchanged).`,
          });
        }
        throw error;
      }
    }
  }
  return {
    imported: imports ? ops.length : 0,
    rejected,
    unchanged: report.filter((r) => r.outcome === 'unchanged').length,
    applied: imports,
    rows: report,
  };
}
/** How many seats an edit of a licence buys (positive) or gives up (negative). */
function boughtSeatsChange(ledger: string, stored: LedgerItem, edited: Record<string, unknown>): number {
  if (ledger !== 'licences') return 0;
  return Number(edited.seatsBought ?? stored.seatsBought) - Number(stored.seatsBought);
}
