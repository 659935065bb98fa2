// A first and a last date, as the finance pages and the superbill ask for them: the API's field
// errors under each (`from`, `to`), a problem of the range itself (`toProblem`) under the last
// date, and the last date never before the first. With `maxDays` the browser also keeps the range
// within that many days, both ends included.
import { fieldError } from '../api/errors.ts';
import { addDays } from '../lib/format.ts';
import { Field } from './ui.tsx';

export function DateRangeFields(props: {
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  /** What the API answered: its `from` and `to` field errors are shown. */
  error: unknown;
  /** A problem of the range found before sending, shown under the last date in place of the API's. */
  toProblem?: string | undefined;
  labels?: { from: string; to: string };
  maxDays?: number;
}) {
  const { from, to, error, maxDays, labels = { from: 'First date', to: 'Last date' } } = props;
  return (
    <>
      <Field
        label={labels.from}
        type="date"
        value={from}
        max={maxDays === undefined ? undefined : to || undefined}
        onChange={(e) => props.onFrom(e.target.value)}
        error={fieldError(error, 'from')}
        required
      />
      <Field
        label={labels.to}
        type="date"
        value={to}
        min={from || undefined}
        max={maxDays !== undefined && from ? addDays(from, maxDays - 1) : undefined}
        onChange={(e) => props.onTo(e.target.value)}
        error={props.toProblem ?? fieldError(error, 'to')}
        required
      />
    </>
  );
}
