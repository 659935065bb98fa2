// Runs `f` over `items` with at most `limit` calls in flight; the results in the items' order. A
// call that throws rejects the whole at once while the other workers carry on unobserved: callers
// that want every item tried and counted catch inside `f` (the reminder job, a clinic's re-plan).
export async function pool<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let i = 0;
  const worker = async () => {
    while (i < items.length) {
      const k = i++;
      out[k] = await f(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
