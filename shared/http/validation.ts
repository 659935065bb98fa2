// zod → the contract's 400 body: one detail per problem, with a dotted path.
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '#domain/errors.ts';

export function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  const details: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${key}` : key, message: 'Unknown field' });
    } else {
      details.push({ path: base, message: issue.message });
    }
  }
  return details;
}

/** Parse or throw a ValidationError. `where` prefixes paths (e.g. query parameters stay bare). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesOf(result.error, where));
  return result.data;
}
