import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeLogbook, parseFields } from '../../../functions/domain/logbooks';
import { logbookRegistry } from '../../../functions/logbooks/registry';

const definitions = [...logbookRegistry.values()];
const meta = (schema: z.ZodType) => (schema.meta() ?? {}) as Record<string, unknown>;

describe('the logbook definitions', () => {
  it('are the five logbooks of the regulations with the articles and reviewers of REQUIREMENTS.md', () => {
    expect(definitions.map((d) => [d.id, d.title.ja, d.articles, d.reviewerRole, d.nomineeAllowed])).toEqual([
      ['L1', 'キャビネット開施錠記録簿', ['A4(3)'], 'securityManager', true],
      ['L2', '最終退出点検表', ['A9'], 'securityManager', true],
      ['L3', '入退受付票', ['A8', 'A9'], 'securityManager', true],
      ['L4', 'サーバルーム入退記録簿', ['A13(1)'], 'securityManager', false],
      ['L5', 'アクセスログ確認記録', ['A14(3)'], 'sysAdmin', false],
    ]);
  });

  it('each live in the file named by their slug', () => {
    const folder = fileURLToPath(new URL('../../../functions/logbooks/', import.meta.url));
    const files = readdirSync(folder);
    for (const definition of definitions) {
      expect(definition.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(files).toContain(`${definition.slug}.ts`);
    }
  });

  it('show every article they cite with its text in both languages', () => {
    for (const definition of definitions) {
      expect(definition.articleTexts.map((a) => a.ref)).toEqual(definition.articles);
      for (const article of definition.articleTexts) {
        expect(article.text.ja.length).toBeGreaterThan(20);
        expect(article.text.en.length).toBeGreaterThan(20);
      }
    }
  });

  it('label every field in Japanese and English', () => {
    for (const definition of definitions) {
      for (const [key, field] of Object.entries(definition.fields.shape)) {
        const label = meta(field as z.ZodType)['x-label'] as { ja?: string; en?: string } | undefined;
        expect(label?.ja, `${definition.id}.${key}`).toBeTruthy();
        expect(label?.en, `${definition.id}.${key}`).toBeTruthy();
      }
    }
  });

  it('name only their own fields in rules, later fields, open items, buttons and the list', () => {
    for (const definition of definitions) {
      const keys = Object.keys(definition.fields.shape);
      const named = [
        ...definition.rules.flatMap((rule) => (rule.kind === 'order' ? [rule.start, rule.end] : [rule.field, rule.when.field])),
        ...definition.laterFields,
        ...definition.openItems.map((item) => item.field),
        ...Object.keys(definition.actions.finish?.sets ?? {}),
        ...definition.listFields,
        ...(definition.timeField ? [definition.timeField] : []),
      ];
      expect(named.filter((key) => !keys.includes(key)), definition.id).toEqual([]);
      // What a finishing button sets is recorded later, so that anyone at the site may press it.
      expect(Object.keys(definition.actions.finish?.sets ?? {}).every((key) => definition.laterFields.includes(key)), definition.id).toBe(true);
    }
  });

  it('let later fields be left out when an entry is made', () => {
    const made: Record<string, Record<string, unknown>> = {
      L1: { cabinet: '書庫A', purpose: '契約書の取り出し', openedAt: '09:00' },
      L2: { checkedAt: '19:00', windowsClosed: true, lightsOff: true, powerOff: true, doorLocked: true },
      L3: { visitorName: '佐々木 一郎', company: '富士見システム', purpose: '保守', guestCard: 'G-01', entryAt: '10:00', cardReturned: false },
      L4: { purpose: '保守', enteredAt: '10:00' },
      L5: { system: '基幹DB', periodFrom: '2026-10-01', periodTo: '2026-10-31', result: 'normal' },
    };
    for (const definition of definitions) expect(parseFields(definition, made[definition.id]), definition.id).toEqual({ ok: true, fields: made[definition.id] });
  });

  it('describe themselves to the page with a JSON Schema that carries the labels, widgets and prefills', () => {
    const l4 = describeLogbook(logbookRegistry.get('L4')!);
    const properties = l4.schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.enteredAt).toMatchObject({ 'x-widget': 'time', 'x-prefill': 'now', 'x-label': { ja: '入室時刻', en: 'Entered at' } });
    expect(l4.schema.required).toEqual(['purpose', 'enteredAt']);
    expect(l4.reviewer).toEqual({ role: 'securityManager', label: { ja: '安全管理責任者', en: 'Security manager' }, nomineeAllowed: false });
    expect(l4.actions).toEqual({ record: { ja: '入室', en: 'Enter' }, finish: { label: { ja: '退室', en: 'Leave' }, sets: { exitedAt: 'now' } } });
  });
});
