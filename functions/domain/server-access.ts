import { ledgerEntries } from './approval';
import { StaleWriteError } from './errors';
import type { LedgerOp } from './ledgers';
import type { Deps } from './ports';

/**
 * Marks active grants whose end date has passed as expired (S5-4: no connection without a permission
 * in force). Each grant changes in its own transaction with its audit event; a grant changed by
 * someone else meanwhile is left for the next run.
 */
export async function expireServerAccessGrants(deps: Pick<Deps, 'ledgers'>, today: string, at: string): Promise<number> {
  let expired = 0;
  for (;;) {
    const page = await deps.ledgers.byState('server-access-grants', 'active', { limit: 25, sortBefore: `${today}#` });
    if (page.items.length === 0) return expired;
    let progressed = false;
    for (const grant of page.items) {
      const before = await deps.ledgers.getVersioned('server-access-grants', grant.id);
      if (!before || before.item.status !== 'active') continue;
      const op: LedgerOp = {
        kind: 'update',
        ledger: 'server-access-grants',
        before,
        after: { ...before.item, status: 'expired' },
        summary: { ja: `利用終了日（${String(before.item.endDate)}）を過ぎたため失効しました`, en: `Expired after its end date (${String(before.item.endDate)})` },
      };
      try {
        // No request caused this change: the schedule did.
        await deps.ledgers.commit(ledgerEntries([op], '', at));
        expired++;
        progressed = true;
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
      }
    }
    if (!progressed) return expired;
  }
}
