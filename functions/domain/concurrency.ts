/**
 * Maps items through an async function with at most `limit` calls in flight, keeping the order.
 * Used where one request fans out over many reads (a month of every site's logbooks): all at once
 * would exhaust the client's connections and time out as the company grows.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
