// The waitlist's parts shared by the client's pages and the desk's (docs/api.md, "Waitlist
// (extension)"): the form that adds an entry (dates, practitioner or any, in person or by video
// where the kind allows it; the desk also chooses the kind), and the list of a client's entries with
// what became of each, a "Book" for one still waiting with open times, and "Remove" asked first.
// Nothing is held and nobody is sent a message: the desk calls the client when a time opens.
// Words and dates come from lib/waitlist-rules.ts.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, idempotencyKey, ok } from '../api/client.ts';
import { ExplainedError, fieldError } from '../api/errors.ts';
import { useApp } from '../app-context.tsx';
import { storeBookOpening } from '../lib/book-service.ts';
import { todayIn } from '../lib/format.ts';
import { providerName, serviceName, type ClinicSetup, type ServiceCode, type WaitlistEntry } from '../lib/clinic-data.ts';
import {
  openTimesWords,
  waitlistDates,
  waitlistFieldWords,
  waitlistMode,
  waitlistOpening,
  waitlistDateBounds,
  waitlistDateProblems,
  waitlistPractitioner,
  waitlistState,
} from '../lib/waitlist-rules.ts';
import { Link } from '../router.tsx';
import { DateRangeFields } from './date-range.tsx';
import { Badge, Button, ErrorAlert, Select } from './ui.tsx';

type Mode = 'in_person' | 'telehealth';

/** "Intake with any practitioner, in person": the entry's kind, whom and where, in the clinic's names. */
export function entryWords(setup: ClinicSetup, e: Pick<WaitlistEntry, 'service' | 'mode' | 'providerId'>): string {
  const who = waitlistPractitioner(e.providerId ? providerName(setup, e.providerId) : undefined);
  return `${serviceName(setup, e.service)} with ${who}, ${waitlistMode(e.mode)}`;
}

export function WaitlistForm({
  setup,
  clientId,
  who,
  start,
  onAdded,
  onCancel,
}: {
  setup: ClinicSetup;
  clientId: string;
  /** 'client': the kind is the booking page's; 'desk': the kind is chosen here (taken on the phone). */
  who: 'client' | 'desk';
  start: { service: ServiceCode; mode: Mode; providerId: string; from: string; to: string };
  onAdded: (entry: WaitlistEntry) => void;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const [code, setCode] = useState(start.service);
  const [mode, setMode] = useState<Mode>(start.mode);
  const [providerId, setProviderId] = useState(start.providerId);
  const [from, setFrom] = useState(start.from);
  const [to, setTo] = useState(start.to);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // one key per request: the same one sent again (an answer lost) adds nothing twice, a changed one is a new request
  const sent = useRef<{ body: string; key: string }>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const service = setup.services.find((s) => s.code === code);
  const byVideo = service?.telehealthAllowed ?? false;
  const providers = setup.providers.filter((p) => p.role === service?.providerRole && (mode === 'in_person' || p.telehealth));
  // how far the dates may go for whoever asks (a client: the booking window; the desk: a year), and what is wrong before sending
  const today = todayIn(setup.clinic.timezone);
  const bounds = waitlistDateBounds(from, today, setup.clinic.policy.bookingWindowDays, who);
  const problems = waitlistDateProblems({ from, to }, today, bounds.fromMax, who);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const body = { service: code, mode, from, to, ...(providerId ? { providerId } : {}) };
    if (sent.current?.body !== JSON.stringify(body)) sent.current = { body: JSON.stringify(body), key: idempotencyKey() };
    try {
      const { entry } = await ok(
        api.POST('/v1/clients/{clientId}/waitlist', {
          params: { path: { clientId } },
          headers: { 'Idempotency-Key': sent.current.key },
          body,
        }),
      );
      onAdded(entry);
    } catch (err) {
      // a date in the API's words said as a date; five already waiting: said for whoever asks, with the way out
      setError(
        err instanceof ApiError && err.code === 'validation_failed'
          ? new ApiError(
              err.status,
              err.code,
              err.message,
              err.rule,
              err.details.map((d) => (d.message ? { ...d, message: waitlistFieldWords(d.message) } : d)),
              err.correlationId,
            )
          : err instanceof ApiError && err.code === 'conflict' && !err.retryAfterSeconds
            ? new ExplainedError(
                err,
                who === 'client'
                  ? 'You are already on the waitlist 5 times, the most at once. Remove one on My care first.'
                  : 'This client already waits for 5 sessions, the most at once. Remove one first.',
              )
            : err,
      );
      setBusy(false);
    }
  };

  return (
    <form
      className="card waitlist-form"
      aria-labelledby="waitlist-form-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        // a date the API would refuse: said under it already; the first such field takes focus
        if (problems.from || problems.to) e.currentTarget.querySelector<HTMLElement>('.waitlist-dates [aria-invalid="true"]')?.focus();
        else void submit();
      }}
    >
      <h3 id="waitlist-form-heading" tabIndex={-1} ref={heading}>
        {who === 'client' ? `Join the waitlist for ${service?.name ?? 'this session'}` : 'Add to the waitlist'}
      </h3>
      {who === 'desk' && (
        <Select
          label="Session"
          value={code}
          onChange={(next) => {
            setCode(next as ServiceCode);
            setProviderId('');
            if (!setup.services.find((s) => s.code === next)?.telehealthAllowed) setMode('in_person');
          }}
          options={setup.services.map((s) => ({ value: s.code, label: s.name }))}
          error={fieldError(error, 'service')}
        />
      )}
      <div className="waitlist-dates">
        {/* a date changed: the API's word on the last ones goes */}
        <DateRangeFields
          from={from}
          to={to}
          onFrom={(v) => (setFrom(v), setError(undefined))}
          onTo={(v) => (setTo(v), setError(undefined))}
          error={error}
          fromProblem={problems.from}
          toProblem={problems.to}
          bounds={bounds}
        />
      </div>
      <Select
        label="Practitioner"
        value={providerId}
        onChange={setProviderId}
        options={[
          { value: '', label: 'Any practitioner' },
          ...providers.map((p) => ({ value: p.id, label: `${p.name}, ${p.credentials}` })),
        ]}
        error={fieldError(error, 'providerId')}
      />
      {byVideo && (
        <fieldset className="radios">
          <legend>Where</legend>
          {(['in_person', 'telehealth'] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="waitlist-mode"
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  if (m === 'telehealth' && providerId && !setup.providers.some((p) => p.id === providerId && p.telehealth))
                    setProviderId('');
                }}
              />{' '}
              {m === 'telehealth' ? 'By video' : 'In person'}
            </label>
          ))}
        </fieldset>
      )}
      <p className="hint">
        {who === 'client'
          ? 'Nothing is held for you. The front desk will call you if a time opens.'
          : 'Nothing is held. Nobody is sent a message: call the client when a time opens.'}
      </p>
      {!(error instanceof ApiError && error.code === 'validation_failed') && (
        <ErrorAlert error={error} title="Not added to the waitlist" focus />
      )}
      <div className="actions">
        <Button type="submit" busy={busy}>
          {who === 'client' ? 'Join the waitlist' : 'Add to the waitlist'}
        </Button>
        <Button kind="secondary" onClick={onCancel} disabled={busy}>
          Not now
        </Button>
      </div>
    </form>
  );
}

/**
 * A client's entries, by first date: kind, practitioner or any, dates, what became of each, and
 * for one waiting with open times the way to book one (`bookHref`: the booking page, the kind and
 * the week of its first open time stored in the tab, never in the address).
 */
export function WaitlistEntries({
  setup,
  clientId,
  entries,
  bookHref,
  canRemove,
  onRemoved,
  who,
}: {
  setup: ClinicSetup;
  clientId: string;
  entries: WaitlistEntry[];
  bookHref: string | undefined;
  canRemove: boolean;
  onRemoved: () => void;
  who: 'client' | 'desk';
}) {
  return (
    <ul className="card-list compact waitlist-entries">
      {entries.map((e) => (
        <EntryItem
          key={e.id}
          setup={setup}
          clientId={clientId}
          entry={e}
          bookHref={bookHref}
          canRemove={canRemove}
          onRemoved={onRemoved}
          who={who}
        />
      ))}
    </ul>
  );
}

function EntryItem({
  setup,
  clientId,
  entry: e,
  bookHref,
  canRemove,
  onRemoved,
  who,
}: {
  setup: ClinicSetup;
  clientId: string;
  entry: WaitlistEntry;
  bookHref: string | undefined;
  canRemove: boolean;
  onRemoved: () => void;
  who: 'client' | 'desk';
}) {
  const state = waitlistState(e.status);
  const open = openTimesWords(e, who);
  // the entry named to a screen reader beside "Book" and "Remove" (several entries, one name each)
  const what = `${serviceName(setup, e.service)}, ${waitlistDates(e.from, e.to)}`;
  const canBook = bookHref !== undefined && e.status === 'waiting' && (e.openings?.count ?? 0) > 0;
  return (
    <li className="card waitlist-entry">
      <p>
        <strong>{entryWords(setup, e)}</strong> <Badge tone={state.tone}>{state.label}</Badge>
      </p>
      <p className="when">{waitlistDates(e.from, e.to)}</p>
      {open && <p>{open}</p>}
      <RemoveEntry clientId={clientId} entryId={e.id} canRemove={canRemove} onRemoved={onRemoved} what={what}>
        {canBook && (
          <Link className="btn btn-secondary" href={bookHref} onClick={() => storeBookOpening(waitlistOpening(e))}>
            Book<span className="visually-hidden"> {what}</span>
          </Link>
        )}
      </RemoveEntry>
    </li>
  );
}

/** "Remove", asked first; `children`: the entry's other actions, shown beside it until asked. */
export function RemoveEntry({
  clientId,
  entryId,
  canRemove,
  onRemoved,
  what,
  children,
}: {
  clientId: string;
  entryId: string;
  canRemove: boolean;
  onRemoved: () => void;
  /** The entry in a few words, for a screen reader beside "Remove". */
  what: string;
  children?: ReactNode;
}) {
  const { api } = useApp();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const box = useRef<HTMLDivElement>(null);
  const toggled = useRef(false);
  // the button pressed goes away: focus to the question, and back to "Remove" on "Keep it"
  useEffect(() => {
    if (toggled.current) box.current?.querySelector<HTMLElement>(asking ? '[data-remove-question]' : '[data-remove-open]')?.focus();
  }, [asking]);
  const ask = (on: boolean) => {
    toggled.current = true;
    setAsking(on);
    setError(undefined);
  };
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await ok(
        api.POST('/v1/clients/{clientId}/waitlist/{entryId}/remove', {
          params: { path: { clientId, entryId } },
          body: {},
        }),
      );
      onRemoved();
    } catch (err) {
      // removed meanwhile (by the desk, or in another tab): what the person wanted
      if (err instanceof ApiError && err.status === 404) onRemoved();
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div ref={box}>
      {!asking ? (
        (children || canRemove) && (
          <div className="actions">
            {children}
            {canRemove && (
              <Button kind="secondary" onClick={() => ask(true)} data-remove-open="">
                Remove<span className="visually-hidden"> {what}</span>
              </Button>
            )}
          </div>
        )
      ) : (
        <div className="confirm-cancel" role="group" aria-label="Remove from the waitlist?">
          <p className="alert-title" tabIndex={-1} data-remove-question="">
            Remove from the waitlist?
          </p>
          <ErrorAlert error={error} title="Not removed" focus />
          <div className="actions">
            <Button kind="danger" busy={busy} onClick={() => void remove()}>
              Yes, remove
            </Button>
            <Button kind="secondary" onClick={() => ask(false)} disabled={busy}>
              Keep it
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
