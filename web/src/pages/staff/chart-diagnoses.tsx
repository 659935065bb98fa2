// Diagnosis codes on the client chart: clinicians and admin edit them, finance reads them, the
// front desk never sees them (the page does not even ask). GET/PUT /v1/clients/{id}/diagnoses:
// the whole list each time, 1 to 12 ICD-10-CM codes, the primary first. Codes are found with a
// combobox over lib/icd10.ts's common codes (ARIA 1.2 combobox with a listbox: arrows, Enter,
// Escape); any other code typed in the API's format is accepted too. Save waits while the field still
// holds something not added (diagnosis-rules.ts): a refused "F3" under "Diagnoses saved." would
// read as saved.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { ApiError, ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, ErrorAlert, Loading } from '../../components/ui.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { icd10Description, icd10Key, isIcd10Code, MAX_DIAGNOSIS_CODES, normalizeIcd10, searchIcd10 } from '../../lib/icd10.ts';
import { useLoad } from '../../lib/use-load.ts';
import { PartError } from './chart-common.tsx';
import { unaddedCodeProblem } from './diagnosis-rules.ts';

export function DiagnosesPart({ clientId, timezone, editable }: { clientId: string; timezone: string; editable: boolean }) {
  const { api } = useApp();
  const loaded = useLoad(() => ok(api.GET('/v1/clients/{clientId}/diagnoses', { params: { path: { clientId } } })), [api, clientId]);
  return (
    <section className="card" aria-labelledby="diagnoses">
      <h2 id="diagnoses">Diagnoses</h2>
      {loaded.error && !loaded.data ? (
        <PartError error={loaded.error} title="The diagnoses could not load" />
      ) : !loaded.data ? (
        <Loading />
      ) : editable ? (
        <DiagnosesForm clientId={clientId} timezone={timezone} saved={loaded.data} />
      ) : (
        <DiagnosesList codes={loaded.data.codes} updatedAt={loaded.data.updatedAt} timezone={timezone} />
      )}
    </section>
  );
}

function Updated({ updatedAt, timezone }: { updatedAt: string | null; timezone: string }) {
  return updatedAt ? <p className="muted">Last changed {formatDateTime(updatedAt, timezone)}.</p> : null;
}

function CodeText({ code }: { code: string }) {
  return (
    <>
      <span className="code">{code}</span>{' '}
      <span className="code-text">{icd10Description(code) ?? <span className="muted">Not in the common list</span>}</span>
    </>
  );
}

/** Finance: the codes as recorded, read-only. */
function DiagnosesList({ codes, updatedAt, timezone }: { codes: string[]; updatedAt: string | null; timezone: string }) {
  if (codes.length === 0) return <p>No diagnosis codes recorded yet. A clinician records them.</p>;
  return (
    <>
      <ol className="codes" aria-label="Diagnosis codes, the primary first">
        {codes.map((c, i) => (
          <li key={c}>
            <CodeText code={c} />
            {i === 0 && <Badge>Primary</Badge>}
          </li>
        ))}
      </ol>
      <Updated updatedAt={updatedAt} timezone={timezone} />
    </>
  );
}

function DiagnosesForm({
  clientId,
  timezone,
  saved,
}: {
  clientId: string;
  timezone: string;
  saved: { codes: string[]; updatedAt: string | null; version: number };
}) {
  const { api } = useApp();
  const [stored, setStored] = useState(saved);
  const [codes, setCodes] = useState<string[]>(saved.codes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  // another clinician saved while this list was being edited: what they saved, shown beside the edit
  const [changedMeanwhile, setChangedMeanwhile] = useState<string[]>();
  // what a screen reader hears after an add or a remove (the list itself changes silently)
  const [announce, setAnnounce] = useState('');
  // a removed code's button is gone: focus goes to the code field rather than to the page's start
  const field = useRef<HTMLInputElement>(null);
  // the code field's text and what is wrong with it (kept here: Save checks it)
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState<string>();
  const dirty = codes.join('|') !== stored.codes.join('|');
  const full = codes.length >= MAX_DIAGNOSIS_CODES;

  const add = (raw: string): string | undefined => {
    const code = normalizeIcd10(raw);
    if (code === '') return 'Type a code, or words to find one.';
    if (!isIcd10Code(code)) return 'Enter an ICD-10-CM code such as F33.1 or F43.10, or choose one from the list.';
    if (codes.some((c) => icd10Key(c) === icd10Key(code))) return `${code} is already on the list.`;
    if (full) return `At most ${MAX_DIAGNOSIS_CODES} codes.`;
    setCodes((list) => [...list, code]);
    setNotice(undefined);
    setAnnounce(`${code} added${codes.length === 0 ? ' as the primary diagnosis' : ''}. Not saved yet.`);
    return undefined;
  };

  const remove = (code: string) => {
    setCodes((list) => list.filter((c) => c !== code));
    setNotice(undefined);
    setAnnounce(`${code} removed. Not saved yet.`);
    setTimeout(() => field.current?.focus()); // after the re-render (the field is disabled while the list is full)
  };

  const save = async () => {
    const unadded = unaddedCodeProblem(typed);
    if (unadded) {
      setNotice(undefined);
      setTypedProblem(unadded);
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const result = await ok(
        api.PUT('/v1/clients/{clientId}/diagnoses', { params: { path: { clientId } }, body: { codes, expectedVersion: stored.version } }),
      );
      setStored(result);
      setCodes(result.codes);
      setChangedMeanwhile(undefined);
      // "… Not saved yet." no longer holds: the success alert says what happened
      setAnnounce('');
      setNotice('Diagnoses saved.');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // saved by someone else since this list was loaded: their list is shown, this edit kept to
        // compare; saving again (now against their version) replaces it knowingly
        try {
          const now = await ok(api.GET('/v1/clients/{clientId}/diagnoses', { params: { path: { clientId } } }));
          setStored(now);
          setChangedMeanwhile(now.codes);
        } catch (reload) {
          setError(reload);
        }
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="diagnoses-form">
      {notice && <Alert kind="success">{notice}</Alert>}
      {changedMeanwhile && (
        <Alert kind="warning" title="Not saved: someone else changed the diagnoses meanwhile">
          <p>
            Saved now: {changedMeanwhile.length === 0 ? 'no codes' : changedMeanwhile.join(', ')}
            {stored.updatedAt ? ` (${formatDateTime(stored.updatedAt, timezone)})` : ''}. Your list is below, not saved: check it against
            theirs and save again to replace it.
          </p>
        </Alert>
      )}
      <ErrorAlert error={error} title="The diagnoses were not saved" />
      {codes.length === 0 ? (
        <p>No diagnosis codes recorded yet.</p>
      ) : (
        <ol className="codes" aria-label="Diagnosis codes, the primary first">
          {codes.map((c, i) => (
            <li key={c}>
              <CodeText code={c} />
              {i === 0 && <Badge>Primary</Badge>}
              <Button kind="secondary" onClick={() => remove(c)}>
                Remove<span className="visually-hidden"> {c}</span>
              </Button>
            </li>
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status">
        {announce}
      </p>
      <CodeSearch
        onAdd={add}
        disabled={full}
        inputRef={field}
        text={typed}
        onText={setTyped}
        problem={typedProblem}
        onProblem={setTypedProblem}
      />
      <div className="actions">
        <Button busy={busy} disabled={!dirty || codes.length === 0} onClick={() => void save()}>
          Save diagnoses
        </Button>
        {dirty && codes.length > 0 && <span className="muted">Not saved yet.</span>}
      </div>
      {codes.length === 0 && stored.codes.length > 0 && (
        <p className="hint">At least one code must stay on the list: add the right one before saving.</p>
      )}
      <Updated updatedAt={stored.updatedAt} timezone={timezone} />
    </div>
  );
}

/**
 * A text field with a list of matching common codes (role=combobox, aria-activedescendant): ↓ and
 * ↑ move through the matches, Enter adds the highlighted one (or what was typed), Escape closes
 * the list, then clears the field. Clicking a match adds it; "Add" adds what was typed.
 */
function CodeSearch({
  onAdd,
  disabled,
  inputRef,
  text,
  onText: setText,
  problem,
  onProblem: setProblem,
}: {
  onAdd: (code: string) => string | undefined;
  disabled: boolean;
  inputRef: RefObject<HTMLInputElement | null>;
  text: string;
  onText: (text: string) => void;
  problem: string | undefined;
  onProblem: (problem: string | undefined) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = searchIcd10(text);
  const expanded = open && matches.length > 0;
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const optionId = (i: number) => `${id}-opt-${i}`;

  useEffect(() => {
    // the highlighted match stays in view as the arrows move through a long list
    if (active >= 0) document.getElementById(`${id}-opt-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, id]);

  const commit = (value: string) => {
    const refused = onAdd(value);
    setProblem(refused);
    if (!refused) {
      setText('');
      setOpen(false);
      setActive(-1);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!expanded) {
        setOpen(true);
        setActive(matches.length > 0 ? 0 : -1);
      } else setActive((a) => (a + 1) % matches.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (expanded) setActive((a) => (a <= 0 ? matches.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = expanded && active >= 0 ? matches[active] : undefined;
      commit(chosen ? chosen.code : text);
    } else if (e.key === 'Escape') {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (text !== '') {
        e.preventDefault();
        setText('');
        setProblem(undefined);
      }
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div className="field">
      <label htmlFor={id}>Add a code</label>
      <p className="hint" id={hintId}>
        Type a code (F33) or words (recurrent moderate) to see common codes; any ICD-10-CM code may be typed in full.
        {disabled && ` The list holds its ${MAX_DIAGNOSIS_CODES} codes: remove one to add another.`}
      </p>
      <div className="combo-row">
        <div className="combo">
          <input
            ref={inputRef}
            id={id}
            type="text"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={listId}
            aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
            aria-describedby={[hintId, problem ? errorId : undefined].filter(Boolean).join(' ')}
            aria-invalid={problem ? true : undefined}
            disabled={disabled}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              setActive(-1);
              setProblem(undefined);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
          />
          <ul id={listId} role="listbox" aria-label="Common codes" hidden={!expanded}>
            {expanded &&
              matches.map((m, i) => (
                <li
                  key={m.code}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  // keeps focus in the field (no blur that would close the list before the click)
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => commit(m.code)}
                >
                  <span className="code">{m.code}</span> <span>{m.description}</span>
                </li>
              ))}
          </ul>
        </div>
        <Button kind="secondary" disabled={disabled} onClick={() => commit(text)}>
          Add
        </Button>
      </div>
      {problem && (
        <p className="field-error" id={errorId}>
          {problem}
        </p>
      )}
    </div>
  );
}
