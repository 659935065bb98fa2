// The front desk finds a client: any part of the name (or the e-mail address or phone number),
// searched as it is typed (from 2 characters, 250 ms after the last key) or on Enter, with
// POST /v1/clinics/{id}/clients/search — a POST so that a name never appears in a URL. What was
// typed lives in this component only (never the URL, never storage); the count of results is
// announced. Each result opens the chart, or booking for the client; a new client is added here.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useApp } from '../../app-context.tsx';
import { ok } from '../../api/client.ts';
import type { paths } from '../../api/openapi';
import { Button, EmailAddress, ErrorAlert, Field, Loading, PageTitle } from '../../components/ui.tsx';
import { formatDate } from '../../lib/format.ts';
import { formatPhone } from '../../lib/phone.ts';
import { Link } from '../../router.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { booksForClients, fullName, staffLinks } from './clients-data.ts';
import './clients-pages.css';

const MIN_CHARS = 2;
const DEBOUNCE_MS = 250;
/** The API answers at most this many (the rest: type more of the name). */
const MAX_RESULTS = 20;

type Hit = paths['/v1/clinics/{clinicId}/clients/search']['post']['responses'][200]['content']['application/json']['clients'][number];

export function ClientsPage({ session }: { session: StaffSession }) {
  const { clinicId, picker } = useStaffClinic(session);
  return (
    <>
      <div className="page-head">
        <PageTitle title="Clients">Clients</PageTitle>
        {clinicId && booksForClients(session) && (
          <Link className="btn btn-primary" href={withClinic('/staff/clients/new', session, clinicId)}>
            Add a new client
          </Link>
        )}
      </div>
      {picker}
      {clinicId ? <ClientSearch key={clinicId} session={session} clinicId={clinicId} /> : <Loading />}
    </>
  );
}

function ClientSearch({ session, clinicId }: { session: StaffSession; clinicId: string }) {
  const { api } = useApp();
  const [q, setQ] = useState('');
  const [result, setResult] = useState<{ clients: Hit[] }>();
  const [error, setError] = useState<unknown>();
  const [searching, setSearching] = useState(false);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const links = staffLinks(session, clinicId);
  const mayBook = booksForClients(session);

  const search = useCallback(
    async (text: string) => {
      clearTimeout(timer.current);
      const query = text.trim();
      const mine = ++latest.current;
      if (query.length < MIN_CHARS) {
        setResult(undefined);
        setError(undefined);
        setSearching(false);
        return;
      }
      setSearching(true);
      try {
        const found = await ok(api.POST('/v1/clinics/{clinicId}/clients/search', { params: { path: { clinicId } }, body: { q: query } }));
        if (mine !== latest.current) return; // a newer search is on its way
        setResult({ clients: found.clients });
        setError(undefined);
      } catch (err) {
        if (mine !== latest.current) return;
        setError(err);
        setResult(undefined);
      } finally {
        if (mine === latest.current) setSearching(false);
      }
    },
    [api, clinicId],
  );

  // as the person types: 250 ms after the last key
  useEffect(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void search(q), DEBOUNCE_MS);
    return () => clearTimeout(timer.current);
  }, [q, search]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search(q);
  };

  const short = q.trim().length < MIN_CHARS;
  const count = result?.clients.length ?? 0;
  const status = short
    ? ''
    : searching && !result
      ? 'Searching…'
      : result
        ? count === 0
          ? 'No clients found'
          : `${count} client${count === 1 ? '' : 's'} found${count >= MAX_RESULTS ? ': the first 20 by last name (type more to narrow it down)' : ''}`
        : '';

  return (
    <>
      <form className="card client-search" role="search" onSubmit={submit} aria-label="Clients">
        <Field
          label="Find a client"
          type="search"
          autoComplete="off"
          spellCheck={false}
          hint="At least 2 letters of the first or last name, the start of an e-mail address, or a phone number (its last 4 digits will do)."
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <div className="actions">
          <Button type="submit" kind="secondary">
            Search
          </Button>
        </div>
      </form>
      <ErrorAlert error={error} title="The search did not work" />
      <p className="search-status" role="status">
        {status}
      </p>
      {!short && result && count > 0 && (
        <section className="card results-card" aria-label="Clients found" aria-busy={searching || undefined}>
          <ul className="client-results">
            {result.clients.map((c) => {
              const name = fullName(c);
              return (
                <li key={c.id} className="client-result">
                  <div>
                    <Link className="client-name" href={links.chart(c.id)}>
                      {name}
                    </Link>
                    <dl className="client-facts">
                      <dt className="visually-hidden">Date of birth</dt>
                      <dd>Born {formatDate(c.dateOfBirth)}</dd>
                      <dt className="visually-hidden">Phone</dt>
                      <dd>{formatPhone(c.phone)}</dd>
                      <dt className="visually-hidden">E-mail</dt>
                      <dd>
                        <EmailAddress value={c.email} />
                      </dd>
                    </dl>
                  </div>
                  {mayBook && (
                    <Link className="btn btn-secondary" href={links.book(c.id)}>
                      Book<span className="visually-hidden"> for {name}</span>
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}
