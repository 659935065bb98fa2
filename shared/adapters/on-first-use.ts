// A client or SDK that only some requests need, made on the first of them instead of at cold start
// (docs/decisions.md, "Cold start").

/**
 * `load` run on the first call and its result kept: concurrent first calls share one run. A run
 * that fails is not kept: its callers get the error, and the next call runs `load` again.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      const run = load();
      pending = run;
      run.catch(() => {
        if (pending === run) pending = undefined;
      });
    }
    return pending;
  };
}
