// The question asked in the page before a change that is not undone here (Remove a practitioner's
// time off, Retire a program): it takes focus as it opens, and again when it asks about another
// row, so that a screen reader reads it next; it says what the change does, shows the error when
// the change failed, and offers the change or keeping things as they are (not while it is made).
// The button that opens it carries aria-expanded.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button, ErrorAlert } from './ui.tsx';

export function ConfirmPanel({
  subject,
  question,
  more,
  hint,
  error,
  errorTitle,
  yes,
  no,
  busy,
  onYes,
  onNo,
}: {
  /** What is asked about (the row's record): another one takes focus again. */
  subject: unknown;
  /** In bold, and the panel's name: "Remove …?" */
  question: ReactNode;
  /** Said after the question, in its paragraph (and the panel's name). */
  more?: ReactNode;
  hint: ReactNode;
  error: unknown;
  errorTitle: string;
  yes: string;
  no: string;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), [subject]);
  return (
    <div className="confirm-panel" ref={panel} tabIndex={-1} role="group" aria-labelledby={id}>
      <p id={id}>
        <strong>{question}</strong>
        {more !== undefined && <> {more}</>}
      </p>
      <p className="hint">{hint}</p>
      <ErrorAlert error={error} title={errorTitle} />
      <div className="actions">
        <Button kind="danger" busy={busy} onClick={onYes}>
          {yes}
        </Button>
        <Button kind="secondary" disabled={busy} onClick={onNo}>
          {no}
        </Button>
      </div>
    </div>
  );
}
