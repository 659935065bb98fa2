// zod → the API's 400 body (docs/api.md, "Errors"): one detail per problem, with a dotted path.
import * as z from './schemas/zod.ts';
import { ValidationError, type FieldIssue } from '#domain/errors.ts';

/**
 * The details of a refusal, a path's first problem only: zod runs a field's later checks after an
 * earlier one failed (a float of 1e300 is not an integer and also too big), and the second says
 * nothing the caller can act on before fixing the first.
 */
export function issuesOf(error: z.core.$ZodError, prefix = ''): FieldIssue[] {
  const details: FieldIssue[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    details.push({ path, message });
  };
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, 'Unknown field');
    } else {
      add(base, issue.message);
    }
  }
  return details;
}

/** Parse or throw a ValidationError. `where` prefixes paths (e.g. query parameters stay bare). */
export function parseWith<S extends z.core.$ZodType>(schema: S, value: unknown, where = ''): z.infer<S> {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new ValidationError(issuesOf(result.error, where));
  return result.data;
}

/** How deeply a JSON body may nest: a top-level object or array is level 1. */
export const MAX_JSON_DEPTH = 32;

const MALFORMED_JSON = 'Malformed JSON body';
const TOO_DEEP = `Nested too deeply (at most ${MAX_JSON_DEPTH} levels)`;

/**
 * A request body's JSON, or a ValidationError (path ''). Bodies nesting past MAX_JSON_DEPTH are
 * refused here, so that nothing recursive downstream (validation, logging, serialising) ever sees
 * one: the depth is measured with an explicit stack, never by recursion.
 */
export function parseJsonBody(raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError([{ path: '', message: MALFORMED_JSON }], MALFORMED_JSON);
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw new ValidationError([{ path: '', message: TOO_DEEP }], TOO_DEEP);
  return value;
}

/** True when a parsed JSON value has containers nested more than `max` levels deep. Iterative. */
export function nestsDeeperThan(root: unknown, max: number): boolean {
  const stack: Array<{ value: object; depth: number }> = [];
  if (root !== null && typeof root === 'object') stack.push({ value: root, depth: 1 });
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (depth > max) return true;
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
