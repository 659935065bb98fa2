// The app's few building blocks, accessible by construction: every control has a visible label,
// hints and errors are tied to it with aria-describedby, alerts are announced (role=alert for
// errors, role=status for progress), focus is always visible (styles.css), and each page's
// heading takes focus on navigation so a screen reader announces where the person is.
import { Fragment, useEffect, useId, useRef, type ComponentPropsWithRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { describeError, sessionEnded } from '../api/errors.ts';
import { emailParts } from '../lib/format.ts';
import { currentPage, Link, signInHref } from '../router.tsx';

type ButtonKind = 'primary' | 'secondary' | 'danger' | 'link';

/**
 * A button. `busy`: its action is under way. It then says so (aria-busy, aria-disabled) and
 * ignores clicks (a form's submission too) but stays focusable: a `disabled` button loses focus,
 * which falls to the page's start, and the keyboard user has to find the way back.
 */
export function Button({
  kind = 'primary',
  busy = false,
  className,
  children,
  disabled,
  type = 'button',
  onClick,
  ...rest
}: ComponentPropsWithRef<'button'> & { kind?: ButtonKind; busy?: boolean }) {
  return (
    <button
      type={type}
      className={['btn', `btn-${kind}`, className].filter(Boolean).join(' ')}
      disabled={disabled}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      onClick={(e) => {
        if (busy) e.preventDefault();
        else onClick?.(e);
      }}
      {...rest}
    >
      {children}
    </button>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}

export function Field({ label, hint, error, id, className, ...input }: FieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        id={inputId}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Checkbox({
  label,
  hint,
  id,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: string; hint?: string }) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  return (
    <div className="checkbox">
      <input type="checkbox" id={inputId} aria-describedby={hintId} {...input} />
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function Select({
  label,
  value,
  onChange,
  options,
  id,
  hint,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  id?: string;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  const auto = useId();
  const selectId = id ?? auto;
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <select
        id={selectId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * An error (announced at once), a warning, a success or a note. `focusKey`: the message answers
 * what the person just did (the button pressed went away, and focus would fall to the page's
 * start, or the answer is what to read next): each new truthy value moves focus to it.
 */
export function Alert({
  kind = 'error',
  title,
  children,
  focusKey,
  live = true,
}: {
  kind?: 'error' | 'warning' | 'success' | 'info';
  title?: string;
  children: ReactNode;
  focusKey?: unknown;
  /**
   * false: a box of controls with live parts of its own (a status inside a live region may be
   * announced twice): a group named by its title, not a live region.
   */
  live?: boolean;
}) {
  const role = !live ? 'group' : kind === 'error' ? 'alert' : 'status';
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusKey) ref.current?.focus();
  }, [focusKey]);
  return (
    <div
      className={`alert alert-${kind}`}
      role={role}
      aria-label={!live ? title : undefined}
      ref={ref}
      tabIndex={focusKey === undefined ? undefined : -1}
    >
      {title && <p className="alert-title">{title}</p>}
      <div>{children}</div>
    </div>
  );
}

/**
 * An error in plain words. A session that ended (401) says so with a way to sign in again that
 * comes back to `next` (this page by default; a page may name one that keeps the person's choice).
 * `focus`: it answers what the person just did, and takes focus (Alert's focusKey).
 */
export function ErrorAlert({ error, title, next, focus }: { error: unknown; title?: string; next?: string; focus?: boolean }) {
  if (!error) return null;
  return (
    <Alert kind="error" title={title} focusKey={focus ? error : undefined}>
      {sessionEnded(error) ? (
        <>
          Your session has ended. Please <Link href={signInHref(next ?? currentPage())}>sign in again</Link>.
        </>
      ) : (
        describeError(error)
      )}
    </Alert>
  );
}

/**
 * A page that could not load (a record not found, not yours, the server unreachable): the page's
 * heading and document title say what could not load, the alert says why.
 */
export function PageError({ title, error }: { title: string; error: unknown }) {
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <ErrorAlert error={error} />
    </>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** The page's title: the document title too, and where focus goes when the page opens. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Kapstone`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/**
 * Brings the confirmation into view when a time is chosen (on a phone it sits below a long list
 * of days). Focus stays on the chosen time: the person decides when to go on.
 */
export function useRevealOnChange<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [key]);
  return ref;
}

/**
 * A table that may scroll sideways on a phone: a named region that the keyboard can scroll too.
 * Its label must differ from the section it sits in (axe's landmark-unique: two regions of one name).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** An e-mail address that wraps, when it must, after its @ or before a dot (lib/format.ts emailParts). */
export function EmailAddress({ value }: { value: string }) {
  return (
    <>
      {emailParts(value).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
