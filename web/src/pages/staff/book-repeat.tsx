// "Book again at this time", offered once a booking on the staff booking page succeeded: the same
// kind of session, place, practitioner (the one the first booking got) and way of paying (the same
// program's credit) every week or every 2 weeks, 1 to 7 more. The dates are listed first and
// nothing is booked until the desk presses the button; then one POST /v1/appointments per session,
// one at a time in date order, each row with its answer in the desk's words. The rules (dates,
// keys, each row's state) are in repeat-rules.ts.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiError, idempotencyKey, ok } from '../../api/client.ts';
import { Badge, Button, Select } from '../../components/ui.tsx';
import { providerName, serviceName, type ClinicSetup, type ServiceCode } from '../../lib/clinic-data.ts';
import { ownClash } from '../../lib/course-rules.ts';
import { formatDateTimeZone, formatDayParts, formatTime, zoneCity } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { clientAppointments, ClientBusyError, type staffLinks } from './clients-data.ts';
import { clientHasSessionWords, describeRepeatRefusal } from './clients-words.tsx';
import {
  canRetry,
  everyWeeks,
  MORE_MAX,
  MORE_MIN,
  moreSessions,
  newRows,
  repeatBody,
  repeatDates,
  REPEAT_DEFAULTS,
  retryHeld,
  retryRow,
  sendInOrder,
  tally,
  type EveryWeeks,
  type FirstBooking,
  type RepeatDate,
  type RepeatRow,
} from './repeat-rules.ts';

const EVERY_OPTIONS = [
  { value: '1', label: 'Every week' },
  { value: '2', label: 'Every 2 weeks' },
];
const MORE_OPTIONS = Array.from({ length: MORE_MAX - MORE_MIN + 1 }, (_, i) => {
  const n = MORE_MIN + i;
  return { value: String(n), label: `${n} more session${n === 1 ? '' : 's'}` };
});

/** "Tue, Dec 8, 10:00 AM EST", or the date alone where the time does not exist that day. */
const dateWords = (row: RepeatDate, zone: string) => {
  if (row.startsAt) return formatDateTimeZone(row.startsAt, zone);
  const { weekday, day } = formatDayParts(row.date);
  return `${weekday}, ${day}`;
};

export function BookAgain({
  setup,
  first,
  programName,
  clientId,
  links,
  onBooked,
}: {
  setup: ClinicSetup;
  first: FirstBooking<ServiceCode>;
  /** The program whose credit paid for the first session (undefined: self-pay). */
  programName: string | undefined;
  clientId: string;
  links: ReturnType<typeof staffLinks>;
  /** Some sessions were booked: the page reads the client's credits and sessions again. */
  onBooked: () => void;
}) {
  const { api } = useApp();
  const zone = setup.clinic.timezone;
  const service = setup.services.find((s) => s.code === first.service);
  const [every, setEvery] = useState<EveryWeeks>(REPEAT_DEFAULTS.everyWeeks);
  const [more, setMore] = useState(REPEAT_DEFAULTS.more);
  const dates = useMemo(() => repeatDates(first.startsAt, every, more, zone), [first.startsAt, every, more, zone]);
  const toBook = dates.filter((d) => d.startsAt).length;
  // undefined until "Book these N sessions" is pressed
  const [rows, setRows] = useState<RepeatRow[]>();
  const [sending, setSending] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  // each sending (the first, "Try again", "Try the rest again"): the button pressed goes while it
  // runs, so focus goes to the list that says how each one went
  const [runs, setRuns] = useState(0);

  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    if (runs > 0) resultsRef.current?.focus();
  }, [runs]);

  const send = async (row: RepeatRow) => {
    const startsAt = row.startsAt ?? '';
    try {
      return await ok(
        api.POST('/v1/appointments', {
          headers: { 'Idempotency-Key': row.key },
          body: repeatBody(first, { clientId, clinicId: setup.clinic.id }, startsAt),
        }),
      );
    } catch (err) {
      // taken: by the client's own session? say which
      if (!(err instanceof ApiError) || err.code !== 'slot_unavailable' || !service) throw err;
      const endsAt = new Date(Date.parse(startsAt) + service.durationMinutes * 60_000).toISOString();
      const list = await clientAppointments(api, clientId).catch(() => undefined);
      const clash = list && ownClash(list, { startsAt, endsAt });
      throw clash ? new ClientBusyError(clientHasSessionWords(setup, clash)) : err;
    }
  };

  // one sending at a time, even when a button is pressed twice before the page redraws
  const running = useRef(false);
  const run = async (start: RepeatRow[]) => {
    if (running.current) return;
    running.current = true;
    setSending(true);
    setRows(start);
    setRuns((n) => n + 1);
    try {
      await sendInOrder(start, send, setRows);
    } finally {
      running.current = false;
      setSending(false);
      onBooked();
    }
  };

  const counts = rows && tally(rows);
  const sentSoFar = counts ? counts.booked + counts.refused + counts.failed : 0;
  const total = rows ? rows.length - (counts?.skipped ?? 0) : 0;

  return (
    <section className="card book-again" aria-labelledby="book-again-title">
      <h2 id="book-again-title" ref={headingRef} tabIndex={-1}>
        Book again at this time
      </h2>
      <p>
        {serviceName(setup, first.service)} with {providerName(setup, first.providerId)},{' '}
        {first.mode === 'telehealth' ? 'by video' : 'in person'}, at {formatTime(first.startsAt, zone)} {zoneCity(zone)} time each time
        (after {formatDateTimeZone(first.startsAt, zone)}).{' '}
        {programName
          ? `Each one uses a credit of ${programName}, while credits last.`
          : 'Each one is self-pay, with an invoice of its own.'}
      </p>

      {!rows ? (
        <>
          <div className="book-again-choice">
            <Select
              label="How often"
              value={String(every)}
              onChange={(v) => setEvery(everyWeeks(v) ?? REPEAT_DEFAULTS.everyWeeks)}
              options={EVERY_OPTIONS}
            />
            <Select
              label="How many more"
              value={String(more)}
              onChange={(v) => setMore(moreSessions(v) ?? REPEAT_DEFAULTS.more)}
              options={MORE_OPTIONS}
            />
          </div>
          <h3 id="book-again-dates">To be booked</h3>
          <ol className="book-again-rows" aria-labelledby="book-again-dates">
            {dates.map((d) => (
              <li key={d.date}>
                {dateWords(d, zone)}
                {!d.startsAt && (
                  <span className="muted">
                    : there is no {formatTime(first.startsAt, zone)} that day (the clocks go forward), so it is not booked
                  </span>
                )}
              </li>
            ))}
          </ol>
          <Button onClick={() => void run(newRows(dates, idempotencyKey))} disabled={toBook === 0}>
            {toBook === 1 ? 'Book this session' : `Book these ${toBook} sessions`}
          </Button>
        </>
      ) : (
        <div role="status" aria-live="polite" className="book-again-results">
          <h3 id="book-again-done" ref={resultsRef} tabIndex={-1}>
            {sending ? 'Booking…' : counts && counts.booked < total ? 'Not all booked' : 'Booked again'}
          </h3>
          <p>
            {sending
              ? `${sentSoFar} of ${total} sent.`
              : `${counts?.booked ?? 0} of ${total} booked (${(counts?.booked ?? 0) + 1} in all with the first).` +
                (counts && counts.refused + counts.failed > 0 ? ` ${counts.refused + counts.failed} not booked.` : '') +
                (counts && counts.held > 0 ? ` ${counts.held} not sent yet.` : '')}
          </p>
          <ol className="book-again-rows" aria-labelledby="book-again-done">
            {rows.map((row, i) => (
              <RowResult
                key={row.date}
                row={row}
                zone={zone}
                moveHref={row.state.kind === 'booked' ? links.reschedule(row.state.appointmentId) : undefined}
                onRetry={sending || !canRetry(row) || row.state.kind === 'held' ? undefined : () => void run(retryRow(rows, i))}
              />
            ))}
          </ol>
          {!sending && counts && counts.held > 0 && (
            <Button kind="secondary" onClick={() => void run(retryHeld(rows))}>
              Try the rest again
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function RowResult({
  row,
  zone,
  moveHref,
  onRetry,
}: {
  row: RepeatRow;
  zone: string;
  moveHref: string | undefined;
  onRetry: (() => void) | undefined;
}) {
  const when = dateWords(row, zone);
  const { state } = row;
  return (
    <li className={`book-again-row book-again-${state.kind}`}>
      <span className="book-again-when">{when}</span>{' '}
      {state.kind === 'booked' && (
        <>
          <Badge tone="good">Booked</Badge>{' '}
          {moveHref && (
            <Link href={moveHref}>
              Move this session<span className="visually-hidden"> ({when})</span>
            </Link>
          )}
        </>
      )}
      {(state.kind === 'refused' || state.kind === 'failed') && (
        <>
          <Badge tone="bad">Not booked</Badge> <span className="book-again-why">{describeRepeatRefusal(state.error)}</span>{' '}
          {onRetry && (
            <Button kind="secondary" onClick={onRetry}>
              Try again<span className="visually-hidden"> ({when})</span>
            </Button>
          )}
        </>
      )}
      {state.kind === 'held' && (
        <>
          <Badge tone="warn">Not sent</Badge>
          {state.error !== undefined && <span className="book-again-why"> {describeRepeatRefusal(state.error)}</span>}
        </>
      )}
      {state.kind === 'waiting' && <span className="muted">Waiting</span>}
      {state.kind === 'sending' && <span className="muted">Booking…</span>}
      {state.kind === 'skipped' && <span className="muted">Not booked: that time does not exist that day</span>}
    </li>
  );
}
