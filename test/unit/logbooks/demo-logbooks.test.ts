import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../functions/domain/audit';
import { openItemsOf, parseFields } from '../../../functions/domain/logbooks';
import { logbookRegistry } from '../../../functions/logbooks/registry';
import { demoChanges, demoLogbookLines } from '../../../infra/local/seed-logbooks';

describe('the demo logbooks of the previous month', () => {
  const lines = demoLogbookLines('2026-10');
  const entries = lines.map((line, index) => {
    const changes = demoChanges(line, index);
    return { line, changes, entry: changes[changes.length - 1].next };
  });

  it('are valid entries of their logbooks, dated in the month', () => {
    for (const { line, entry } of entries) {
      expect(parseFields(logbookRegistry.get(line.logbook)!, entry.fields), `${line.logbook} ${line.date}`).toMatchObject({ ok: true });
      expect(entry.date.startsWith('2026-10-')).toBe(true);
    }
  });

  it('carry unbroken audit chains, with the completion as its own event', () => {
    for (const { changes, entry } of entries) {
      const events = changes.flatMap((change) => change.events);
      expect(verifyChain(events)).toBeNull();
      expect(entry.audit.seq).toBe(events.length);
    }
  });

  it('hold the slips a review is there to find', () => {
    const open = (logbook: string) => entries.filter(({ line, entry }) => line.logbook === logbook && openItemsOf(logbookRegistry.get(entry.logbook)!, entry.fields).length > 0);
    expect(open('L1')).toHaveLength(1);
    expect(open('L3').map(({ entry }) => entry.fields.visitorName)).toEqual(['小川 恵子', '森 健太']);
    expect(open('L4')).toHaveLength(1);
    expect(entries.filter(({ entry }) => entry.logbook === 'L2' && entry.fields.doorLocked === false)).toHaveLength(1);
    // 2 of the working days of 東京本社 have no last exit check.
    const tokyoChecks = new Set(entries.filter(({ entry }) => entry.logbook === 'L2' && entry.siteId === 'site-tokyo').map(({ entry }) => entry.date));
    expect(tokyoChecks.size).toBe(lines.filter((l) => l.logbook === 'L2' && l.siteId === 'site-tokyo').length);
    expect(new Set(entries.map(({ entry }) => entry.id)).size).toBe(entries.length);
  });
});
