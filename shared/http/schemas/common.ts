// Request-schema pieces every API function's routes use (ids, free text, working dates, whole
// numbers, the empty body), apart from the scheduling API's own shapes, so that a function's bundle
// holds the schemas of its own routes only (the payments and billing functions never load the
// phone-number library the scheduling shapes need; docs/decisions.md, "Cold start").
// Built on first use, not at import (./lazy.ts).
import * as z from './zod.ts';
import { once, route } from './lazy.ts';
import { isValidDate } from '#domain/time.ts';
import { normalizeText, textProblem, type TextRules } from '#domain/text.ts';
import type { FieldIssue } from '#domain/errors.ts';

/**
 * Free text typed by a person (names, notes, reasons): NFC, trimmed, at most `max` UTF-16 code
 * units, and none of what shared/domain/text.ts refuses (control characters, lone surrogates,
 * bidi overrides, nothing visible). Every free-text field of the API is one of these.
 */
export const freeText = (max: number, rules: TextRules = {}) =>
  z.string().check(
    z.overwrite((s) => normalizeText(s, rules)),
    z.minLength(1, 'Must not be empty'),
    z.maxLength(max, `At most ${max} characters`),
    z.superRefine(
      (s, ctx) => {
        const problem = textProblem(s, rules);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      },
      // not on an empty text (said already) nor on what is no text at all (a `when` runs even
      // after the type check failed); a text too long is also checked for what it holds
      { when: (payload) => typeof payload.value === 'string' && !payload.issues.some((i) => i.code === 'too_small') },
    ),
  );

/**
 * A check's params: it runs only while its field has no problem yet, so that a field's first
 * problem is its only one (a malformed date is not also "out of range"). zod's `abort` would do
 * the same, but it would also hold back every rule across fields of the whole request (`across`).
 */
export const whileSound = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/**
 * A field's own rule from shared/domain (the message of what is wrong, or undefined), as a check:
 * the service that keeps the rule for its direct callers and the schema report the same message.
 * It runs once the field passed its other checks (a name too long is not also reported as denied).
 */
export const fieldRule = <T>(problem: (value: T) => string | undefined) =>
  z.superRefine<T>(
    (value, ctx) => {
      const message = problem(value);
      if (message !== undefined) ctx.addIssue({ code: 'custom', message });
    },
    { when: (payload) => payload.issues.length === 0 },
  );

/**
 * A rule over several fields of an object, from shared/domain (what is wrong, paths relative to the
 * object, '' the object itself), as a check on the object. zod skips an object's plain refinements
 * once any of its fields failed; this one runs whenever the fields it reads (`fields`, dotted
 * paths) are sound: no issue at, above or under any of them. So a request with a bad range and an
 * unknown `status` hears of both (docs/api.md, "Errors"). `problems` must read only `fields`: the
 * others may hold anything. zod still stops it after a field failed a check marked `abort`: the
 * request schemas' field checks use `whileSound` instead (the weekly hours' times, read by a plain
 * refinement of their window, keep `abort`).
 */
export const across = <T>(fields: readonly string[], problems: (value: T) => readonly FieldIssue[]) => {
  const reads = fields.map((f) => f.split('.'));
  return z.superRefine<T>(
    (value, ctx) => {
      for (const p of problems(value)) ctx.addIssue({ code: 'custom', message: p.message, path: p.path === '' ? [] : p.path.split('.') });
    },
    {
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !payload.issues.some((issue) => issue.code !== 'unrecognized_keys' && reads.some((read) => overlaps(issue.path ?? [], read))),
    },
  );
};

/** Whether one path is the other or lies under it. */
function overlaps(a: readonly PropertyKey[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== b[i]) return false;
  return true;
}

/**
 * An optional field that also takes null, read as absent: what a GET answers for a field that is
 * not set (`null`) can be sent back as it was read.
 */
export const optionalOrNull = <S extends z.ZodMiniType>(schema: S) =>
  z.optional(
    z.pipe(
      z.nullable(schema),
      z.transform((v: z.output<S> | null) => v ?? undefined),
    ),
  );

/** Record ids (generated `prefix_hex`, or seeded like `demo-nyc-ther-1`) are never free text. */
export const idSchema = once(() =>
  z
    .string()
    .check(
      z.minLength(1, 'Must not be empty'),
      z.maxLength(100, { message: 'At most 100 characters', ...whileSound }),
      z.regex(/^[A-Za-z0-9_-]+$/, { message: 'Must be an id: letters, digits, "-" and "_" only', ...whileSound }),
    ),
);

/**
 * The working range: availability and schedule dates, clearance expiry and appointment instants
 * lie in it (dates much farther out reach date arithmetic that breaks, and mean nothing here).
 */
export const EARLIEST_OPERATING_DATE = '2000-01-01';
export const LATEST_OPERATING_DATE = '2100-12-31';

/** A YYYY-MM-DD calendar date from `earliest` to `latest`, both included. */
export const boundedDate = (earliest: string, latest: string) =>
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date YYYY-MM-DD'),
    z.refine(isValidDate, { message: 'Not a real calendar date', ...whileSound }),
    z.refine((d) => d >= earliest && d <= latest, { message: `Must be between ${earliest} and ${latest}`, ...whileSound }),
  );

/** A date of the working range, EARLIEST_OPERATING_DATE to LATEST_OPERATING_DATE. */
export const operatingDateSchema = once(() => boundedDate(EARLIEST_OPERATING_DATE, LATEST_OPERATING_DATE));

/**
 * A whole number from `min` to `max`; `message` is the one for a fraction. z.int() is a check on
 * z.number() here, as classic zod's .int() was: a value that is no number at all keeps zod's own
 * message ("Invalid input: expected number, …").
 */
export const intRange = (min: number, max: number, message?: string) => z.number().check(z.int(message), z.gte(min), z.lte(max));

/** Status changes take no fields; an empty or absent body is fine. */
export const emptySchema = route(() => z.strictObject({}));
