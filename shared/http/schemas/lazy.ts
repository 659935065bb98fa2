// Schemas built on first use, not at import. Every schema module of shared/http/schemas is on a
// function's cold-start path (through shared/http/routes.ts); each zod/mini schema object costs
// its constructor at import, and a request uses the schema of one route only.
import * as z from './zod.ts';

/**
 * A route's body or query schema: a `z.lazy` whose inner schema `build` makes on the first parse
 * (or the first look inside it, e.g. the OpenAPI generator) and keeps. A z.lazy hands the value to
 * its inner schema and adds nothing: same result, same issues and paths. The route table and the
 * handlers hold the lazy itself, so `bodyInput(req, schema)` still compares by identity.
 */
export const route = <T extends z.ZodMiniType>(build: () => T): z.ZodMiniLazy<T> => z.lazy(build);

/** A piece several schemas share (an id, a date), built on the first call and the same instance after. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
