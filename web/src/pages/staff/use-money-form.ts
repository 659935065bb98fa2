// The state and submit flow of a form that records money moved outside Stripe on the staff invoice
// page (a payment taken at the clinic, a refund made another way), shared so the two cannot drift:
// the page's checks first (nothing sent while a field is wrong, focus on the first one), then one
// request under an idempotency key that lives as long as the form is unchanged — a second click, or
// the same record sent again after a failure, is recorded once; a changed form is a new record.
import { useState, type FormEvent } from 'react';
import { idempotencyKey } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useFocusOnRefusal } from './form-focus.ts';

type Problems<F> = Partial<Record<keyof F, string>>;

export function useMoneyForm<F extends object, R>({
  untouched,
  check,
  send,
  onStart,
  onRefused,
}: {
  /** What the form offers until edited (read from the invoice as it is now, so it follows it). */
  untouched: F;
  check: (form: F) => { problems: Problems<F>; record?: R | undefined };
  /** Sends the record; throws what the API refused. */
  send: (record: R, idempotencyKey: string) => Promise<void>;
  /** Before checking: clear what an earlier action said. */
  onStart?: () => void;
  /** After the API refused it (a 409: read the invoice again). */
  onRefused?: (err: unknown) => void;
}) {
  const [typed, setTyped] = useState<F>();
  const form = typed ?? untouched;
  const [problems, setProblems] = useState<Problems<F>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState(idempotencyKey);
  const focus = useFocusOnRefusal<HTMLFormElement>();

  const change = <K extends keyof F>(k: K, value: F[K]) => {
    setTyped({ ...form, [k]: value });
    setProblems((p) => ({ ...p, [k]: undefined }));
    setKey(idempotencyKey());
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(undefined);
    onStart?.();
    const checked = check(form);
    setProblems(checked.problems);
    if (checked.record === undefined) return focus.refused();
    setBusy(true);
    try {
      await send(checked.record, key);
      setTyped(undefined);
      setKey(idempotencyKey());
    } catch (err) {
      setError(err);
      onRefused?.(err);
      focus.refused();
    } finally {
      setBusy(false);
    }
  };
  /** The field's problem: the page's check, else the API's 400 on that field. */
  const problem = (path: keyof F & string) => problems[path] ?? fieldError(error, path);
  return { form, change, problem, submit, busy, error, formRef: focus.ref };
}
