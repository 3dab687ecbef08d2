import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ColumnType, LedgerDefinition } from '../../../functions/domain/ledgers';
import { Licence } from '../../../functions/ledgers/licences';
import { ledgerList, ledgerRegistry } from '../../../functions/ledgers/registry';
import { demoLedgers } from '../../../infra/local/seed-data';

interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

const jsonSchemaOf = (definition: LedgerDefinition) => z.toJSONSchema(definition.item) as JsonSchema;

/** The schema node a dot path (`name.ja`) leads to, or undefined. */
function nodeAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  return path.split('.').reduce<JsonSchema | undefined>((node, key) => node?.properties?.[key], schema);
}

/** What a column of each type must hold in the item schema, so that the CSV reads it back as it was written. */
const fits: Record<ColumnType, (node: JsonSchema) => boolean> = {
  text: (node) => node.type === 'string' && !node.enum && node.format !== 'date' && node.format !== 'date-time',
  number: (node) => node.type === 'number' || node.type === 'integer',
  boolean: (node) => node.type === 'boolean',
  date: (node) => node.type === 'string' && node.format === 'date',
  datetime: (node) => node.type === 'string' && node.format === 'date-time',
  enum: (node) => Array.isArray(node.enum),
  list: (node) => node.type === 'array',
};

const licence = { id: 'lic-x', productId: 'prd-x', name: { ja: 'テスト', en: 'Test' }, status: 'active' as const };

describe.each(ledgerList.map((definition) => [definition.name, definition] as const))('the %s ledger', (name, definition) => {
  it('is in the registry under its name', () => {
    expect(ledgerRegistry.get(name)).toBe(definition);
    expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('has a title and a description in Japanese and English', () => {
    for (const text of [definition.title, definition.description]) {
      expect(text.ja.trim()).not.toBe('');
      expect(text.en.trim()).not.toBe('');
    }
  });

  it('names the articles of the regulations it keeps', () => {
    expect(definition.articles.length).toBeGreaterThan(0);
    for (const article of definition.articles) expect(article).toMatch(/^[SA]\d+(-\d+)?$/);
  });

  it('has columns whose keys lead to a field of its item schema, dot paths into objects included', () => {
    const schema = jsonSchemaOf(definition);
    expect(definition.columns[0].key).toBe('id');
    for (const column of definition.columns) {
      const node = nodeAt(schema, column.key);
      expect(node, `${name}: column ${column.key}`).toBeDefined();
      expect(node!.type, `${name}: column ${column.key} leads to an object`).not.toBe('object');
    }
  });

  it('has columns of the type their fields hold, with a label in both languages, each key once', () => {
    const schema = jsonSchemaOf(definition);
    for (const column of definition.columns) {
      expect(fits[column.type](nodeAt(schema, column.key)!), `${name}: column ${column.key} is not a ${column.type}`).toBe(true);
      expect(column.label.ja.trim()).not.toBe('');
      expect(column.label.en.trim()).not.toBe('');
    }
    const keys = definition.columns.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    const headers = definition.columns.map((c) => c.label.ja);
    expect(new Set(headers).size, `${name}: the CSV header needs distinct labels`).toBe(headers.length);
  });

  it('has a column for every field of its items, so that an export loses nothing', () => {
    const schema = jsonSchemaOf(definition);
    const covered = new Set(definition.columns.map((c) => c.key.split('.')[0]));
    expect(Object.keys(schema.properties ?? {}).filter((field) => !covered.has(field))).toEqual([]);
  });

  it('labels every value of its enum columns', () => {
    const schema = jsonSchemaOf(definition);
    for (const column of definition.columns.filter((c) => c.type === 'enum')) {
      expect(Object.keys(column.enumLabels ?? {}).sort(), `${name}: ${column.key}`).toEqual((nodeAt(schema, column.key)!.enum as string[]).slice().sort());
    }
  });

  it('counts only number fields as counters', () => {
    const schema = jsonSchemaOf(definition);
    for (const counter of definition.counters ?? []) expect(fits.number(nodeAt(schema, counter)!)).toBe(true);
  });
});

describe('the demo ledgers', () => {
  it('are all defined ledgers', () => {
    for (const [ledger] of demoLedgers) expect(ledgerRegistry.has(ledger), ledger).toBe(true);
  });

  it.each(demoLedgers.map(([ledger, items]) => [ledger, items] as const))('hold %s items that pass the ledger’s item schema unchanged', (ledger, items) => {
    const definition = ledgerRegistry.get(ledger)!;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const parsed = definition.item.safeParse(item);
      expect(parsed.success ? [] : parsed.error.issues, `${ledger} ${item.id}`).toEqual([]);
      expect(parsed.data).toEqual(item);
    }
    const ids = items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('give the ERP licence few seats: 5 bought, 3 used, 2 free', () => {
    const erp = demoLedgers.find(([ledger]) => ledger === 'licences')![1].find((item) => item.id === 'lic-erp');
    expect(erp).toMatchObject({ seatsBought: 5, seatsUsed: 3, seatsHeld: 0, seatsFree: 2 });
  });
});

describe('the licence schema', () => {
  it('accepts counters that add up to the seats bought', () => {
    expect(Licence.safeParse({ ...licence, seatsBought: 5, seatsUsed: 2, seatsHeld: 1, seatsFree: 2 }).success).toBe(true);
    expect(Licence.safeParse({ ...licence, seatsBought: 0, seatsUsed: 0, seatsHeld: 0, seatsFree: 0 }).success).toBe(true);
  });

  it.each([
    ['too many free seats', { seatsBought: 5, seatsUsed: 3, seatsHeld: 0, seatsFree: 3 }],
    ['too few free seats', { seatsBought: 5, seatsUsed: 3, seatsHeld: 1, seatsFree: 0 }],
    ['held seats left out of the sum', { seatsBought: 5, seatsUsed: 3, seatsHeld: 2, seatsFree: 2 }],
  ])('refuses counters that do not add up (%s), on seatsFree', (_what, seats) => {
    const parsed = Licence.safeParse({ ...licence, ...seats });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path)).toEqual([['seatsFree']]);
  });

  it('refuses a negative or fractional counter', () => {
    expect(Licence.safeParse({ ...licence, seatsBought: 5, seatsUsed: 6, seatsHeld: 0, seatsFree: -1 }).success).toBe(false);
    expect(Licence.safeParse({ ...licence, seatsBought: 5, seatsUsed: 2.5, seatsHeld: 0, seatsFree: 2.5 }).success).toBe(false);
  });
});
