// A first and a last date, as the finance pages and the superbill ask for them: the API's field
// errors under each (`from`, `to`), a problem of the range itself (`toProblem`) under the last
// date, and the last date never before the first. With `maxDays` the browser also keeps the range
// within that many days, both ends included. `bounds` says the inputs' limits outright instead (the
// waitlist's: the first date up to the last day that can be booked, said in the hints), with a
// problem of the first date found before sending (`fromProblem`) under it.
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
  /** A problem of the first date found before sending, shown under it in place of the API's. */
  fromProblem?: string | undefined;
  labels?: { from: string; to: string };
  maxDays?: number;
  /** The inputs' limits, said outright (in place of those `maxDays` and the dates imply), and the hints that say them. */
  bounds?: { fromMax: string; toMin: string; toMax: string | undefined; fromHint: string; toHint: string };
}) {
  const { from, to, error, maxDays, bounds, labels = { from: 'First date', to: 'Last date' } } = props;
  return (
    <>
      <Field
        label={labels.from}
        type="date"
        value={from}
        hint={bounds?.fromHint}
        max={bounds ? bounds.fromMax : maxDays === undefined ? undefined : to || undefined}
        onChange={(e) => props.onFrom(e.target.value)}
        error={props.fromProblem ?? fieldError(error, 'from')}
        required
      />
      <Field
        label={labels.to}
        type="date"
        value={to}
        hint={bounds?.toHint}
        min={bounds ? bounds.toMin : from || undefined}
        max={bounds ? bounds.toMax : maxDays !== undefined && from ? addDays(from, maxDays - 1) : undefined}
        onChange={(e) => props.onTo(e.target.value)}
        error={props.toProblem ?? fieldError(error, 'to')}
        required
      />
    </>
  );
}
