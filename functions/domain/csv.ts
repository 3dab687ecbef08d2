import type { LedgerColumn } from './ledgers';

/** Excel opens UTF-8 CSV correctly only with a byte-order mark. */
export const BOM = '\uFEFF';

const needsQuotes = /[",\r\n]|^\s|\s$/;

export function formatCsv(rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => cells.map((cell) => (needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
  return BOM + rows.map(line).join('\r\n') + '\r\n';
}

/** RFC 4180 parsing: quoted fields may hold commas, quotes ("") and line breaks; a BOM is skipped. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const LIST_SEPARATOR = ';';

function getPath(item: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), item);
}

function setPath(item: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let target = item;
  for (const key of keys.slice(0, -1)) {
    target[key] ??= {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]] = value;
}

/** One item as CSV cells, in column order. */
export function toCells(item: Record<string, unknown>, columns: readonly LedgerColumn[]): string[] {
  return columns.map((column) => {
    const value = getPath(item, column.key);
    if (value === undefined || value === null) return '';
    if (column.type === 'list' && Array.isArray(value)) return value.join(LIST_SEPARATOR);
    return String(value);
  });
}

/**
 * One CSV row back into an item, typed by its columns. Empty cells leave the attribute out; what
 * cannot be read as its type is returned as an error for that column, for the row-by-row report.
 */
export function fromCells(cells: readonly string[], columns: readonly LedgerColumn[]): { item: Record<string, unknown>; errors: { column: string; message: { ja: string; en: string } }[] } {
  const item: Record<string, unknown> = {};
  const errors: { column: string; message: { ja: string; en: string } }[] = [];
  columns.forEach((column, index) => {
    const raw = cells[index] ?? '';
    // A cell of spaces is an empty cell: never a zero, never a blank name.
    if (raw.trim() === '') return;
    switch (column.type) {
      case 'number': {
        const value = Number(raw.replaceAll(',', ''));
        if (Number.isFinite(value)) setPath(item, column.key, value);
        else errors.push({ column: column.key, message: { ja: `「${column.label.ja}」は数値で入力してください。`, en: `${column.label.en} must be a number.` } });
        return;
      }
      case 'boolean': {
        const value = ['true', '1', 'はい', 'yes'].includes(raw.trim().toLowerCase()) ? true : ['false', '0', 'いいえ', 'no'].includes(raw.trim().toLowerCase()) ? false : null;
        if (value === null) errors.push({ column: column.key, message: { ja: `「${column.label.ja}」は true か false で入力してください。`, en: `${column.label.en} must be true or false.` } });
        else setPath(item, column.key, value);
        return;
      }
      case 'list':
        setPath(item, column.key, raw.split(LIST_SEPARATOR).map((v) => v.trim()).filter(Boolean));
        return;
      default:
        setPath(item, column.key, raw);
    }
  });
  return { item, errors };
}
