import { describe, expect, it } from 'vitest';
import { BOM, formatCsv, fromCells, parseCsv, toCells } from '../../../functions/domain/csv';
import type { LedgerColumn } from '../../../functions/domain/ledgers';

const col = (key: string, ja: string, en: string, type: LedgerColumn['type'] = 'text'): LedgerColumn => ({ key, label: { ja, en }, type });

describe('formatCsv', () => {
  it('starts with the UTF-8 byte-order mark so that Excel reads Japanese correctly', () => {
    const csv = formatCsv([['名称']]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(BOM).toBe('\uFEFF');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
  });

  it('ends every row, the last included, with CRLF', () => {
    expect(formatCsv([['a', 'b'], ['c', 'd']])).toBe(`${BOM}a,b\r\nc,d\r\n`);
  });

  it('leaves plain cells, Japanese text and empty cells unquoted', () => {
    expect(formatCsv([['abc', '東京本社', '', '12']])).toBe(`${BOM}abc,東京本社,,12\r\n`);
  });

  it.each([
    ['a comma', 'a,b', '"a,b"'],
    ['a quote, doubled', 'say "hi"', '"say ""hi"""'],
    ['a line feed', '1行目\n2行目', '"1行目\n2行目"'],
    ['a carriage return and line feed', '1行目\r\n2行目', '"1行目\r\n2行目"'],
    ['a leading space', ' lead', '" lead"'],
    ['a trailing space', 'trail ', '"trail "'],
    ['a leading ideographic space', '\u3000全角', '"\u3000全角"'],
    ['a tab at the end', 'tab\t', '"tab\t"'],
  ])('quotes a cell holding %s', (_what, cell, quoted) => {
    expect(formatCsv([[cell, 'x']])).toBe(`${BOM}${quoted},x\r\n`);
  });
});

describe('parseCsv', () => {
  it('round-trips what formatCsv writes: Japanese, commas, quotes, line breaks and empty cells', () => {
    const rows = [
      ['ID', '名称', '備考', '空'],
      ['srv-1', '基幹DBサーバ', 'CPU 32コア, メモリ 256GB', ''],
      ['srv-2', '"引用"付きの名前', '1行目\n2行目', ''],
      ['srv-3', 'Windows の改行', '1行目\r\n2行目\r\n3行目', ''],
      ['', '', '', ''],
      ['srv-4', ' 前後に空白 ', '"', ',,'],
      ['srv-5', '全角スペース\u3000', '""', '末尾の空欄'],
    ];
    expect(parseCsv(formatCsv(rows))).toEqual(rows);
  });

  it('skips the byte-order mark and reads a file with or without it alike', () => {
    expect(parseCsv(`${BOM}a,b\r\n`)).toEqual([['a', 'b']]);
    expect(parseCsv('a,b\r\n')).toEqual([['a', 'b']]);
  });

  it('reads LF line ends and a last row without a line end', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps empty cells at the start and end of a row', () => {
    expect(parseCsv(',a,\r\n')).toEqual([['', 'a', '']]);
  });

  it('skips blank lines', () => {
    expect(parseCsv('a,b\r\n\r\nc,d\r\n\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reads a quoted empty cell as empty', () => {
    expect(parseCsv('"",x\r\n')).toEqual([['', 'x']]);
  });
});

describe('toCells and fromCells', () => {
  const columns: LedgerColumn[] = [
    col('id', 'ID', 'ID'),
    col('name.ja', '名称', 'Name (ja)'),
    col('name.en', '名称（英語）', 'Name (en)'),
    col('seats', '購入数', 'Seats', 'number'),
    col('ratio', '比率', 'Ratio', 'number'),
    col('active', '有効', 'Active', 'boolean'),
    col('managed', '管理対象', 'Managed', 'boolean'),
    col('departments', '影響部署', 'Departments', 'list'),
    { ...col('status', '状態', 'Status', 'enum'), enumLabels: { active: { ja: '有効', en: 'Active' } } },
    col('expiresOn', '契約期限', 'Expires', 'date'),
    col('approvedAt', '承認日時', 'Approved', 'datetime'),
    col('note', '備考', 'Note'),
  ];
  const item = {
    id: 'lic-1',
    name: { ja: '基幹ERP ライセンス, "特別版"', en: 'Core ERP licence' },
    seats: 1200,
    ratio: 0.25,
    active: true,
    managed: false,
    departments: ['dep-sales', 'dep-it'],
    status: 'active',
    expiresOn: '2027-03-31',
    approvedAt: '2026-11-25T01:00:00.000Z',
    note: '1行目\n2行目',
  };

  it('write an item as one cell per column, in column order', () => {
    expect(toCells(item, columns)).toEqual([
      'lic-1',
      '基幹ERP ライセンス, "特別版"',
      'Core ERP licence',
      '1200',
      '0.25',
      'true',
      'false',
      'dep-sales;dep-it',
      'active',
      '2027-03-31',
      '2026-11-25T01:00:00.000Z',
      '1行目\n2行目',
    ]);
  });

  it('round-trip an item of every column type, nested dot paths included', () => {
    expect(fromCells(toCells(item, columns), columns)).toEqual({ item, errors: [] });
  });

  it('round-trip through a whole CSV file', () => {
    const [cells] = parseCsv(formatCsv([toCells(item, columns)]));
    expect(fromCells(cells, columns).item).toEqual(item);
  });

  it('write a missing or null value as an empty cell, and read an empty cell as a missing attribute', () => {
    const sparse = { id: 'lic-2', name: { ja: '名前のみ' }, note: null };
    const cells = toCells(sparse, columns);
    expect(cells).toEqual(['lic-2', '名前のみ', '', '', '', '', '', '', '', '', '', '']);
    expect(fromCells(cells, columns)).toEqual({ item: { id: 'lic-2', name: { ja: '名前のみ' } }, errors: [] });
  });

  it('write zero and false, which are values, not blanks', () => {
    const cells = toCells({ ...item, seats: 0, active: false }, columns);
    expect(cells[3]).toBe('0');
    expect(cells[5]).toBe('false');
    expect(fromCells(cells, columns).item).toMatchObject({ seats: 0, active: false });
  });

  it('read numbers with thousands separators, and yes/no words as booleans', () => {
    const { item: read } = fromCells(['x', '', '', '1,234', '', 'はい', 'いいえ'], columns);
    expect(read).toEqual({ id: 'x', seats: 1234, active: true, managed: false });
    expect(fromCells(['x', '', '', '', '', 'YES', ' No '], columns).item).toMatchObject({ active: true, managed: false });
  });

  it('read a list with spaces and empty entries trimmed away', () => {
    expect(fromCells(['x', '', '', '', '', '', '', ' dep-a ; ;dep-b; '], columns).item).toEqual({ id: 'x', departments: ['dep-a', 'dep-b'] });
  });

  it('report a non-number in a number column with a bilingual message naming the column label', () => {
    const { item: read, errors } = fromCells(['x', '', '', '十二'], columns);
    expect(read).toEqual({ id: 'x' });
    expect(errors).toEqual([{ column: 'seats', message: { ja: '「購入数」は数値で入力してください。', en: 'Seats must be a number.' } }]);
  });

  it('report a word that is not a boolean, naming the column label in both languages', () => {
    const { errors } = fromCells(['x', '', '', '', '', 'たぶん'], columns);
    expect(errors).toEqual([{ column: 'active', message: { ja: '「有効」は true か false で入力してください。', en: 'Active must be true or false.' } }]);
  });

  it('report every bad cell of a row, not just the first', () => {
    const { errors } = fromCells(['x', '', '', 'abc', 'NaN', 'maybe'], columns);
    expect(errors.map((e) => e.column)).toEqual(['seats', 'ratio', 'active']);
  });

  // BUG (functions/domain/csv.ts fromCells): a number cell holding only spaces is not '' and
  // Number('  ') is 0, so a blank-looking cell is read as the number 0 (e.g. 0 seats bought) instead of
  // being left out or reported.
  it('never read a number cell of spaces as zero', () => {
    const { item: read, errors } = fromCells(['x', '', '', '  '], columns);
    expect(read.seats === undefined || errors.length > 0).toBe(true);
  });
});
