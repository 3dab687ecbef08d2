import type { Page } from './ledgers';

/**
 * Every item of a paged read, page after page: for the sets a run or a view needs whole (a month's
 * duties, the tasks due a reminder, a ledger for its CSV), which stay small enough to hold in memory.
 */
export async function everyItem<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
