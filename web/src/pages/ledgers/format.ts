/**
 * How ledger values read: columns come from the ledger's definition (`GET /api/ledgers`), each with
 * a type. Enum values go through the column's labels, booleans read ○ / —, lists are joined, dates
 * and times are Japan time. A bilingual pair of columns (`name.ja`, `name.en`) shows as one column in
 * the chosen language.
 */
import { formatDate, formatDateTime } from '../../format';
import { loc, t, type Bilingual } from '../../i18n';
import { pathValue } from '../../schema-form';
import type { LedgerColumn, LedgerDefinition, LedgerItem, Person } from '../../types';

export { pathValue };

export function columnLabel(column: LedgerColumn): string {
  return loc(column.label) || column.key;
}

function isBilingual(value: unknown): value is Bilingual {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('ja' in value || 'en' in value);
}

const numbers = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 6 });

/** A value as text, by the column's type. */
export function valueText(column: LedgerColumn, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (isBilingual(value)) return loc(value);
  switch (column.type) {
    case 'boolean':
      return value === true ? '○' : value === false ? '—' : String(value);
    case 'enum': {
      const label = column.enumLabels?.[String(value)];
      return label ? loc(label) : String(value);
    }
    case 'list':
      return Array.isArray(value) ? value.map((each) => (isBilingual(each) ? loc(each) : String(each))).join(t('punct.list')) : String(value);
    case 'date':
      return formatDate(String(value));
    case 'datetime':
      return formatDateTime(String(value));
    case 'number':
      return typeof value === 'number' ? numbers.format(value) : String(value);
    default:
      if (Array.isArray(value)) return value.map(String).join(t('punct.list'));
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}

export function cellText(column: LedgerColumn, item: LedgerItem): string {
  return valueText(column, pathValue(item, column.key));
}

/** Table columns: a `X.ja` + `X.en` pair becomes one column `X` shown in the chosen language. */
export function tableColumns(columns: LedgerColumn[]): LedgerColumn[] {
  const keys = new Set(columns.map((column) => column.key));
  const shown: LedgerColumn[] = [];
  for (const column of columns) {
    const pair = /^(.+)\.(ja|en)$/.exec(column.key);
    if (pair && keys.has(`${pair[1]}.ja`) && keys.has(`${pair[1]}.en`)) {
      if (pair[2] === 'en') continue;
      const label = typeof column.label === 'string' ? column.label : { ja: column.label.ja, en: column.label.en.replace(/\s*[（(](ja|en|Japanese|English)[)）]\s*$/i, '') };
      shown.push({ key: pair[1]!, label, type: 'text' });
    } else {
      shown.push(column);
    }
  }
  return shown;
}

/** A sort key for a column: numbers and booleans by value, dates by their ISO text, the rest as read. */
export function sortValue(column: LedgerColumn, item: LedgerItem): number | string | null {
  const value = pathValue(item, column.key);
  if (value === undefined || value === null || value === '') return null;
  if (column.type === 'number' && typeof value === 'number') return value;
  if (column.type === 'boolean') return value === true ? 1 : 0;
  if (column.type === 'date' || column.type === 'datetime') return String(value);
  return valueText(column, value);
}

const collator = new Intl.Collator(['ja', 'en'], { numeric: true, sensitivity: 'base' });

export function compareValues(a: number | string | null, b: number | string | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1; // empty cells last, whichever the direction
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** What an item is called: its name, label or login, else its id. */
export function itemName(item: LedgerItem): string {
  for (const key of ['name', 'label', 'personName', 'serverName', 'loginId', 'summary']) {
    const value = item[key];
    if (isBilingual(value)) return loc(value);
    if (typeof value === 'string' && value) return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  }
  return String(item.id ?? '');
}

export function ledgerTitle(definition: LedgerDefinition | null | undefined, name: string): string {
  return definition?.title ? loc(definition.title) : name;
}

/** Requests look like R-20261125-7KQ2MX; they are found in `requestId` and in history summaries. */
export const REQUEST_ID = /\bR-\d{8}-[A-Z0-9]+\b/g;

export function isItInfra(me: Person): boolean {
  return me.roles.some((role) => role.role === 'itInfra');
}

/** A site or branch id with the name the page knows for it (the user's own site and branch). */
export function placeName(me: Person, kind: 'site' | 'branch', id: string): string {
  const known = kind === 'site' ? me.site : me.branch;
  if (known && known.id === id) return `${loc(known.name)}${t('punct.paren', { text: id })}`;
  return id;
}

