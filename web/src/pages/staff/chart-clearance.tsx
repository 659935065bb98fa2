// Medical clearance on the client chart (clinicians and admin): what was recorded last — the
// outcome, what was screened and the notes, which the API gives these roles only — and the form
// that records a new clearance (POST /v1/clients/{id}/clearance; the chart's status follows).
// The prescriber ticks the contraindications it screened for (CONTRAINDICATIONS below); the API
// takes them as text (`screenedFor`) and checks no list.
import { useState, type FormEvent } from 'react';
import { ok, idempotencyKey } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, Checkbox, ErrorAlert, Field } from '../../components/ui.tsx';
import type { Client } from '../../lib/clinic-data.ts';
import { formatDate, todayIn } from '../../lib/format.ts';
import { useFocusOnRefusal } from './form-focus.ts';
import { TextArea } from './settings-common.tsx';

/** What a prescriber screens for before dosing (the product's contraindications). */
export const CONTRAINDICATIONS = [
  'Uncontrolled high blood pressure',
  'Cardiovascular conditions',
  'History of psychosis or schizophrenia',
  'Interacting medications',
] as const;

type Outcome = 'cleared' | 'not_cleared';

export const CLEARANCE_WORDS: Record<Client['status']['clearance']['status'], string> = {
  cleared: 'Cleared',
  not_cleared: 'Not cleared',
  expired: 'Expired',
  none: 'Clearance missing',
};

export function ClearancePart({ client, timezone, onSaved }: { client: Client; timezone: string; onSaved: (client: Client) => void }) {
  const current = client.status.clearance;
  return (
    <section className="card" aria-labelledby="clearance">
      <h2 id="clearance">Medical clearance</h2>
      <dl className="facts">
        <dt>Recorded</dt>
        <dd>
          <Badge tone={current.status === 'cleared' ? 'good' : current.status === 'none' ? 'neutral' : 'bad'}>
            {CLEARANCE_WORDS[current.status]}
          </Badge>
          {current.validUntil && (
            <>
              {' '}
              {current.status === 'expired' ? 'on' : 'valid until'} {formatDate(current.validUntil)}
            </>
          )}
        </dd>
        {current.screenedFor && current.screenedFor.length > 0 && (
          <>
            <dt>Screened for</dt>
            <dd>{current.screenedFor.join('; ')}</dd>
          </>
        )}
        {current.notes && (
          <>
            <dt>Notes</dt>
            <dd className="clearance-notes">{current.notes}</dd>
          </>
        )}
      </dl>
      <ClearanceForm client={client} timezone={timezone} onSaved={onSaved} />
    </section>
  );
}

function ClearanceForm({ client, timezone, onSaved }: { client: Client; timezone: string; onSaved: (client: Client) => void }) {
  const { api } = useApp();
  const previous = client.status.clearance;
  // items recorded earlier that are not among the product's four stay choosable (and checked)
  const options = [
    ...CONTRAINDICATIONS,
    ...(previous.screenedFor ?? []).filter((s) => !(CONTRAINDICATIONS as readonly string[]).includes(s)),
  ];
  // no outcome chosen for the clinician: clearance for dosing is said on purpose, never by default
  // (a renewal starts from the outcome recorded last)
  const [outcome, setOutcome] = useState<Outcome | undefined>(
    previous.status === 'cleared' || previous.status === 'not_cleared' ? previous.status : undefined,
  );
  const [problems, setProblems] = useState<{ outcome?: string; screenedFor?: string }>({});
  const [screened, setScreened] = useState<string[]>(previous.screenedFor ?? []);
  const [validUntil, setValidUntil] = useState(previous.status === 'cleared' ? (previous.validUntil ?? '') : '');
  // notes belong to the clearance they were written for: a new one starts without them (the last
  // one's stay shown above, and in the history), so no old note is recorded again unread
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const today = todayIn(timezone);
  // a refusal: focus to the first field to correct, else to what went wrong (not left on Save)
  const focus = useFocusOnRefusal<HTMLFormElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // what the API leaves to the clinician's judgement, the form asks for: an outcome chosen, and
    // what was screened before a client is cleared for dosing
    const found = {
      ...(outcome === undefined ? { outcome: 'Choose an outcome.' } : {}),
      ...(outcome === 'cleared' && screened.length === 0 ? { screenedFor: 'Tick what was screened for before clearing for dosing.' } : {}),
    };
    setProblems(found);
    if (outcome === undefined || Object.keys(found).length > 0) return focus.refused();
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const trimmed = notes.trim();
      const updated = await ok(
        api.POST('/v1/clients/{clientId}/clearance', {
          params: { path: { clientId: client.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: {
            status: outcome,
            screenedFor: screened,
            ...(outcome === 'cleared' && validUntil !== '' ? { validUntil } : {}),
            ...(trimmed !== '' ? { notes: trimmed } : {}),
          },
        }),
      );
      setSaved(
        outcome === 'cleared'
          ? `Clearance saved: cleared${validUntil ? `, valid until ${formatDate(validUntil)}` : ''}.`
          : 'Clearance saved: not cleared.',
      );
      onSaved(updated);
    } catch (err) {
      setError(err);
      focus.refused();
    } finally {
      setBusy(false);
    }
  };

  const choose = (o: Outcome) => {
    setSaved(undefined);
    setProblems({});
    setOutcome(o);
  };
  const screenedError = problems.screenedFor ?? fieldError(error, 'screenedFor');

  const toggle = (item: string, on: boolean) => {
    setSaved(undefined);
    setProblems((p) => ({ ...p, screenedFor: undefined }));
    setScreened((list) => (on ? [...list.filter((s) => s !== item), item] : list.filter((s) => s !== item)));
  };

  return (
    <form ref={focus.ref} className="clearance-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="record-clearance">
      <h3 id="record-clearance">Record clearance</h3>
      {saved && <Alert kind="success">{saved}</Alert>}
      {error !== undefined && (
        <div data-problem tabIndex={-1} className="form-problem">
          <ErrorAlert error={error} title="The clearance was not saved" />
        </div>
      )}
      <fieldset className="radios" aria-describedby={problems.outcome ? 'clearance-outcome-error' : undefined}>
        <legend>Outcome</legend>
        <label>
          <input
            type="radio"
            name="clearance-outcome"
            checked={outcome === 'cleared'}
            // aria-invalid is not a radio's: the group's description says it; focus comes here
            data-problem={problems.outcome ? true : undefined}
            onChange={() => choose('cleared')}
          />{' '}
          Cleared for dosing
        </label>
        <label>
          <input type="radio" name="clearance-outcome" checked={outcome === 'not_cleared'} onChange={() => choose('not_cleared')} /> Not
          cleared
        </label>
        {problems.outcome && (
          <p className="field-error" id="clearance-outcome-error">
            {problems.outcome}
          </p>
        )}
      </fieldset>
      <fieldset className="screened" aria-describedby={screenedError ? 'clearance-screened-error' : undefined}>
        <legend>Screened for</legend>
        {options.map((item) => (
          <Checkbox
            key={item}
            label={item}
            checked={screened.includes(item)}
            aria-invalid={screenedError ? true : undefined}
            onChange={(e) => toggle(item, e.target.checked)}
          />
        ))}
        {screenedError && (
          <p className="field-error" id="clearance-screened-error">
            {screenedError}
          </p>
        )}
      </fieldset>
      {outcome === 'cleared' && (
        <Field
          label="Valid until"
          type="date"
          min={today}
          hint="The last day a dosing session may take place under this clearance (the clinic’s date). Leave empty for no expiry."
          value={validUntil}
          onChange={(e) => {
            setSaved(undefined);
            setValidUntil(e.target.value);
          }}
          error={fieldError(error, 'validUntil')}
        />
      )}
      <TextArea
        label="Notes (optional)"
        value={notes}
        maxLength={4000}
        onChange={(e) => {
          setSaved(undefined);
          setNotes(e.target.value);
        }}
        error={fieldError(error, 'notes')}
      />
      <Button type="submit" busy={busy}>
        Save clearance
      </Button>
    </form>
  );
}
