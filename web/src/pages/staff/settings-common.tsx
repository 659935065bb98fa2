// What the settings sections share: money typed as a person writes it ("100.00") to the API's
// integer minor units and back, whole numbers and lists of them, the NPI's check digit (checked in
// the browser before anything is sent), a form's problems (a 400's field errors under their
// fields, the rest in one alert in plain words), and how a form is checked and sent (a refusal
// puts focus on the first field to correct, else on the alert).
import {
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError, idempotencyKey } from '../../api/client.ts';
import { describeError, fieldError } from '../../api/errors.ts';
import { Alert } from '../../components/ui.tsx';
import { forgetClinicSetup } from '../../lib/clinic-data.ts';
import { focusFirstProblem } from './form-focus.ts';

// --- money ------------------------------------------------------------------------------------

// Typed money is lib/money.ts (a plain module: the invoice page's refund form checks amounts with it too).
export { currencyWords, moneyProblem, moneyText, parseMoney } from '../../lib/money.ts';

// --- whole numbers and lists ----------------------------------------------------------------

/** "48" → 48; undefined for anything else (a fraction, a sign, letters, nothing). */
export function parseWhole(text: string): number | undefined {
  const t = text.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : undefined;
}

/** "48, 2" → [48, 2]; undefined when an item is not a whole number. "" → []. */
export function parseWholeList(text: string): number[] | undefined {
  const items = text.split(/[\s,;]+/).filter((s) => s !== '');
  const numbers = items.map(parseWhole);
  return numbers.every((n) => n !== undefined) ? numbers : undefined;
}

export const WHOLE = 'Enter a whole number, e.g. 48.';

// The NPI check is lib/npi.ts (a plain module: test/unit/web-checks.test.ts compares it with the API's).
export { npiProblem } from '../../lib/npi.ts';

// --- unsaved changes ------------------------------------------------------------------------

/** Where a settings form says whether it holds changes not saved yet (the settings page asks before discarding them). */
export const UnsavedChanges = createContext<(form: string, unsaved: boolean) => void>(() => undefined);

/** A settings form reports whether it holds changes not saved yet (and none once it is gone). */
export function useUnsaved(form: string, unsaved: boolean): void {
  const report = useContext(UnsavedChanges);
  useEffect(() => report(form, unsaved), [report, form, unsaved]);
  useEffect(() => () => report(form, false), [report, form]);
}

// --- form problems --------------------------------------------------------------------------

/** Problems found in the browser, by the API's path of the field. */
export type LocalErrors = Record<string, string>;

/**
 * The message for a field: the browser's own check first, else the API's 400 detail for the path
 * (or for a part of it, e.g. `policy.reminderOffsetsHours.1` under the list's one field).
 */
export function errorFor(local: LocalErrors, err: unknown, path: string): string | undefined {
  if (local[path]) return local[path];
  const exact = fieldError(err, path);
  if (exact) return plainWords(exact);
  if (!(err instanceof ApiError) || err.code !== 'validation_failed') return undefined;
  const part = err.details.find((d) => d.path?.startsWith(`${path}.`))?.message;
  return part && plainWords(part);
}

/**
 * What a settings form found when it was checked: its problems (by the API's path of the field),
 * and the request to send when there are none (absent: nothing to send, e.g. nothing changed).
 */
export interface Checked<T> {
  problems: LocalErrors;
  send?: (idempotencyKey: string) => Promise<T>;
}

/**
 * How every settings form is sent. `submit` (the form's onSubmit) checks it with `check`, shows
 * its problems and sends nothing while there are any; otherwise sends it, one request at a time.
 * After a success the clinic's cached setup is forgotten (its pages read it again) and the answer
 * goes to `done`; a refusal stays in `error`. A form that creates something sends `key` as its
 * Idempotency-Key: a second click is the same thing, and `renewKey()` (on every change of the form,
 * and after a success) makes the next one new.
 */
export function useSettingsForm(clinicId: string) {
  const [local, setLocal] = useState<LocalErrors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(idempotencyKey);
  // a refusal: focus to the first field to correct, else to the form's problem (not left on the button)
  const form = useRef<HTMLFormElement | null>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) focusFirstProblem(form.current);
  }, [refusals]);
  return {
    local,
    error,
    busy,
    renewKey: () => setKey(idempotencyKey()),
    /** The message for a field (errorFor): the form's own check first, else the API's. */
    err: (path: string) => errorFor(local, error, path),
    submit: async <T,>(e: FormEvent, check: () => Checked<T>, done: (result: T) => void) => {
      e.preventDefault();
      if (busy) return;
      if (e.currentTarget instanceof HTMLFormElement) form.current = e.currentTarget;
      setError(undefined);
      const { problems, send } = check();
      setLocal(problems);
      if (Object.keys(problems).length > 0) setRefusals((n) => n + 1);
      if (Object.keys(problems).length > 0 || !send) return;
      setBusy(true);
      try {
        const result = await send(key);
        forgetClinicSetup(clinicId);
        setKey(idempotencyKey());
        done(result);
      } catch (caught) {
        setError(caught);
        setRefusals((n) => n + 1);
      } finally {
        setBusy(false);
      }
    },
  };
}

/** The schema library's range messages ("Too big: expected number to be <=60") in plain words. */
function plainWords(message: string): string {
  const big = /^Too big: expected (number to be|array to have) <=?(\d+)/.exec(message);
  if (big) return big[1] === 'number to be' ? `At most ${big[2]}.` : `At most ${big[2]} of them.`;
  const small = /^Too small: expected (number to be|array to have) >=?(\d+)/.exec(message);
  if (small) return small[1] === 'number to be' ? `At least ${small[2]}.` : `At least ${small[2]} of them.`;
  return message;
}

/**
 * One alert for a form that was not saved. A 400 (or the browser's own checks): the fields to look
 * at by their labels (the messages are under them); anything else: the API's answer in plain words.
 */
export function FormProblem({
  error,
  local,
  title,
  labels,
}: {
  error: unknown;
  local: LocalErrors;
  title: string;
  /** Field labels by path: a problem whose path starts with one is shown under that field. */
  labels: Record<string, string>;
}) {
  const localPaths = Object.keys(local);
  const details = error instanceof ApiError && error.code === 'validation_failed' ? error.details : undefined;
  if (localPaths.length === 0 && !error) return null;
  if (localPaths.length === 0 && !details) {
    return (
      <div data-problem tabIndex={-1} className="form-problem">
        <Alert kind="error" title={title}>
          {describeError(error)}
        </Alert>
      </div>
    );
  }
  const placed = new Set<string>();
  const elsewhere: string[] = [];
  const labelOf = (path: string) => Object.entries(labels).find(([p]) => path === p || path.startsWith(`${p}.`))?.[1];
  for (const path of localPaths) placed.add(labelOf(path) ?? path);
  for (const d of details ?? []) {
    const label = labelOf(d.path ?? '');
    if (label) placed.add(label);
    else elsewhere.push(d.message ?? 'Something is not right.');
  }
  return (
    <div data-problem tabIndex={-1} className="form-problem">
      <Alert kind="error" title={title}>
        {placed.size > 0 && <p>Please check {listOf([...placed].map((l) => `“${l}”`))}: what is wrong is said under each.</p>}
        {elsewhere.length > 0 && (
          <ul>
            {elsewhere.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
      </Alert>
    </div>
  );
}

const listOf = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** A multi-line text field, labelled like ui.tsx's Field. */
export function TextArea({
  label,
  hint,
  error,
  id,
  ...rest
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; hint?: ReactNode; error?: string | undefined }) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <textarea
        id={inputId}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** "09:00" (a wall-clock time of the clinic) → "9:00 AM". */
export function wallTime(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  if (h === 24) return 'midnight';
  const suffix = h < 12 ? 'AM' : 'PM';
  return `${h % 12 === 0 ? 12 : h % 12}:${String(m).padStart(2, '0')} ${suffix}`;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
