// Ledger exports (finance, admin): a CSV of every charge, credit, void, payment and refund of the
// clinic between two clinic-local dates (in order, at most 366 days: checked in the browser as the
// Invoices page does, and by the API, whose field errors sit under the fields). POST starts the export job (202); the page then reads the export every
// second, with its state announced (role=status), until it is ready (rows counted) or failed.
//
// "Download CSV" asks for the export again first (on AWS its link is a pre-signed S3 URL valid a
// few minutes), then:
// - a link on the API's own origin (locally GET /v1/dev/exports/{file}, which takes the token as
//   well as its signature) is fetched with the token as a blob and saved through an object URL as
//   ledger-<clinic>-<from>-<to>.csv;
// - any other link (a pre-signed S3 URL) must not get the token, and the app's CSP allows no
//   fetch to the bucket: the browser follows it as a plain link (S3 names the file itself).
//
// The exports started in this tab stay listed while the tab lives (memory only, per signed-in
// user): never in localStorage or sessionStorage.
import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { idempotencyKey, ok, toApiError } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { tokenStore } from '../../auth/session.ts';
import { DateRangeFields } from '../../components/date-range.tsx';
import { Badge, Button, ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { formatDate, todayIn } from '../../lib/format.ts';
import { useStaffClinic, type StaffSession } from './common.tsx';
import { ClinicLine, monthOf, rangeProblem, useClinicSetup, type ExportJob } from './finance-common.tsx';
import { saveBlob } from '../../lib/save-blob.ts';
import './finance.css';

const POLL_MS = 1000;
/** The longest period the API exports: 366 days, both ends included. */
const MAX_DAYS = 366;

interface TabExport {
  id: string;
  clinicId: string;
  from: string;
  to: string;
  status: ExportJob['status'];
  rows?: number;
  /** Reading its state failed (the poll keeps trying). */
  pollError?: unknown;
}

// --- the exports of this tab: in memory, by the signed-in user's `sub` ---------------------------

const started = new Map<string, TabExport[]>();
const listeners = new Set<() => void>();
const NONE: TabExport[] = [];

function updateExports(sub: string, change: (list: TabExport[]) => TabExport[]): void {
  started.set(sub, change(started.get(sub) ?? NONE));
  for (const l of listeners) l();
}

function useTabExports(sub: string): TabExport[] {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => started.get(sub) ?? NONE,
  );
}

const patchExport = (sub: string, id: string, patch: Partial<TabExport>) =>
  updateExports(sub, (list) => list.map((e) => (e.id === id ? { ...e, ...patch } : e)));

// --- the page -----------------------------------------------------------------------------------

export function ExportsPage({ session }: { session: StaffSession }) {
  const { clinicId, picker } = useStaffClinic(session);
  const setup = useClinicSetup(clinicId);
  const zone = setup.data?.clinic.timezone;
  const exports = useTabExports(session.sub);
  return (
    <>
      <PageTitle title="Ledger exports">Ledger exports</PageTitle>
      {picker}
      <ClinicLine setup={setup.data} />
      <p className="lead">
        A CSV file of every charge, credit, void, payment and refund recorded between two dates, one row each, for the clinic’s accountant.
        Dates are the clinic’s own; a period is at most 366 days.
      </p>
      <ErrorAlert error={setup.error} title="This clinic could not load" />
      {clinicId && zone ? <StartForm key={clinicId} session={session} clinicId={clinicId} zone={zone} /> : !setup.error && <Loading />}
      {exports.length > 0 && (
        <section aria-labelledby="started">
          <h2 id="started">Started in this tab</h2>
          <p className="muted">
            Listed on this page until it is reloaded or the tab is closed. A file is kept for a limited time: start a new export when one is
            gone.
          </p>
          <ul className="card-list">
            {[...exports].reverse().map((e) => (
              <ExportItem key={e.id} session={session} entry={e} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function StartForm({ session, clinicId, zone }: { session: StaffSession; clinicId: string; zone: string }) {
  const { api } = useApp();
  const month = monthOf(todayIn(zone));
  const [from, setFrom] = useState(month.from);
  const [to, setTo] = useState(month.to);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // checked in the browser as the Invoices page does (the API's own words are no sentence for a person)
  const problem = rangeProblem(from, to, MAX_DAYS);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(undefined);
    try {
      const job = await ok(
        api.POST('/v1/clinics/{clinicId}/exports', {
          params: { path: { clinicId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { kind: 'ledger', from, to },
        }),
      );
      updateExports(session.sub, (list) => [
        ...list.filter((x) => x.id !== job.id),
        { id: job.id, clinicId, from: job.from, to: job.to, status: job.status, rows: job.rows },
      ]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void start(e)} noValidate aria-label="Start a ledger export">
      <div className="grid-2 tight">
        <DateRangeFields from={from} to={to} onFrom={setFrom} onTo={setTo} error={error} toProblem={problem} maxDays={MAX_DAYS} />
      </div>
      <ErrorAlert error={error} title="The export could not start" />
      <div className="actions">
        <Button type="submit" busy={busy} disabled={problem !== undefined}>
          Start export
        </Button>
      </div>
    </form>
  );
}

function ExportItem({ session, entry }: { session: StaffSession; entry: TabExport }) {
  const { api, config } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const running = entry.status === 'running';

  // read its state every second while it runs (and while this page is open)
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const job = await ok(api.GET('/v1/exports/{exportId}', { params: { path: { exportId: entry.id } } }));
        if (!stopped) patchExport(session.sub, entry.id, { status: job.status, rows: job.rows, pollError: undefined });
      } catch (err) {
        if (!stopped) patchExport(session.sub, entry.id, { pollError: err });
      }
      if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    timer = window.setTimeout(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [api, running, entry.id, session.sub]);

  const fileName = `ledger-${entry.clinicId}-${entry.from}-${entry.to}.csv`;
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // a fresh link: a pre-signed one lives a few minutes
      const job = await ok(api.GET('/v1/exports/{exportId}', { params: { path: { exportId: entry.id } } }));
      patchExport(session.sub, entry.id, { status: job.status, rows: job.rows });
      if (job.status !== 'ready' || !job.url) return;
      const target = new URL(job.url, window.location.href);
      const apiOrigin = new URL(config.apiUrl || window.location.origin, window.location.href).origin;
      if (target.origin === apiOrigin) {
        const token = tokenStore.read() ?? session.token;
        const res = await fetch(target, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } }).catch(() => undefined);
        if (!res?.ok) throw toApiError(res, await res?.json().catch(() => undefined));
        saveBlob(await res.blob(), fileName);
      } else {
        // a pre-signed link: no Authorization header; the bucket answers with the file to save
        const a = document.createElement('a');
        a.href = target.href;
        a.rel = 'noopener';
        a.download = fileName;
        document.body.append(a);
        a.click();
        a.remove();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const period = `${formatDate(entry.from)} – ${formatDate(entry.to)}`;
  return (
    <li className="card fin-export">
      <div>
        <h3 className="fin-export-title">
          Ledger {period}{' '}
          {entry.status === 'ready' ? (
            <Badge tone="good">Ready</Badge>
          ) : entry.status === 'failed' ? (
            <Badge tone="bad">Failed</Badge>
          ) : (
            <Badge tone="warn">Running</Badge>
          )}
        </h3>
        <p role="status" className="fin-export-state">
          {entry.status === 'running' ? (
            <>
              <span className="spinner" aria-hidden="true" /> Making the file…
            </>
          ) : entry.status === 'ready' ? (
            `Ready: ${entry.rows ?? 0} row${entry.rows === 1 ? '' : 's'}.`
          ) : (
            'Failed: nothing was made. Please start a new export.'
          )}
        </p>
        {running && entry.pollError !== undefined && (
          <ErrorAlert error={entry.pollError} title="Its progress could not be read; trying again" />
        )}
        <ErrorAlert error={error} title="The file could not download" />
      </div>
      {entry.status === 'ready' && (
        <div className="fin-export-action">
          <Button kind="secondary" busy={busy} onClick={() => void download()} aria-label={`Download CSV of the ledger ${period}`}>
            Download CSV
          </Button>
        </div>
      )}
    </li>
  );
}
