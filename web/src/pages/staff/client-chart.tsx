// The client chart (/staff/clients/:clientId): one page for every staff role, showing what the
// role may see — the API decides, and a part the role may not read (403) is shown as absent, not
// as an error for the whole page. First "Integration session due" for each dosing session still
// without its integration session (integration-due.tsx, with "Book integration session" for the
// roles that book). The client's details (name, date of birth, contact, consent to
// texts, the ride-home contact; the front desk and admin edit them: chart-details.tsx), a
// checklist of what a dosing session still needs (intake, a clearance valid on the date, the
// clinic's preparations, the ride home), the medical clearance and its history (clinicians and
// admin; the history read only when asked: chart-clearance-history.tsx), the
// diagnosis codes (clinicians and admin edit them, finance reads them, the front desk never sees
// them), the appointments with "Complete", the programs, and the invoices with what is still due
// and what is owed back (front desk, finance, admin: chart-invoices.tsx), what the client waits
// for and "Add to waitlist" (front desk, admin: chart-waitlist.tsx), and for admin the access
// log (chart-access-log.tsx). Times in the clinic's
// zone, which comes from the client's clinic (lib/clinic-data.ts); no name or diagnosis goes into a
// URL or storage.
import { useState, type ReactNode } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { clinicSetup, type Appointment, type Client, type ClinicSetup } from '../../lib/clinic-data.ts';
import { formatDate, formatDateTime, localDateOf, zoneLabel } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useLocation } from '../../router.tsx';
import { withClinic, type StaffSession } from './common.tsx';
import { AccessLogPart } from './chart-access-log.tsx';
import { isActive } from './appointment-rules.ts';
import { AppointmentsPart } from './chart-appointments.tsx';
import { ClearancePart } from './chart-clearance.tsx';
import { ClearanceHistoryPart } from './chart-clearance-history.tsx';
import { chartRights, PartError } from './chart-common.tsx';
import { DetailsPart } from './chart-details.tsx';
import { DiagnosesPart } from './chart-diagnoses.tsx';
import { InvoicesPart } from './chart-invoices.tsx';
import { IntegrationDueNotice } from './integration-due.tsx';
import { ProgramsPart } from './chart-programs.tsx';
import { WaitlistPart } from './chart-waitlist.tsx';
import { insuranceDocument } from './superbill.tsx';
import './chart-page.css';

export function ClientChartPage({ session, clientId }: { session: StaffSession; clientId: string }) {
  const { api } = useApp();
  const chart = useLoad(async () => {
    const client = await ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));
    return { client, setup: await clinicSetup(api, client.clinicId) };
  }, [api, clientId]);
  const appointments = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/appointments', { params: { path: { clientId } } })),
    [api, clientId],
  );
  // the record as the last change saved it, details or clearance (the API answers with the whole client)
  const [saved, setSaved] = useState<Client>();
  // the day panel's "Edit details" (no ride home on file for a dosing session) opens the form at once
  const editDetails = useLocation().query.get('edit') === 'details';
  // an appointment changed on the chart (a late cancel's fee, a no-show's): the invoices read again
  const [changes, setChanges] = useState(0);
  // a clearance saved on the chart: a shown clearance history reads again
  const [clearanceSaves, setClearanceSaves] = useState(0);

  if (chart.error && !chart.data) {
    return (
      <>
        <PageTitle title="Client chart">Client chart</PageTitle>
        <ErrorAlert error={chart.error} title="The client’s chart could not load" />
        <p>
          <Link href={withClinic('/staff/clients', session, undefined)}>Back to clients</Link>
        </p>
      </>
    );
  }
  if (!chart.data) return <Loading />;
  const { setup } = chart.data;
  const client = saved && saved.id === clientId ? saved : chart.data.client;
  const rights = chartRights(session.role);
  const zone = setup.clinic.timezone;
  const here = (href: string) => withClinic(href, session, client.clinicId);
  const base = `/staff/clients/${encodeURIComponent(client.id)}`;

  const refresh = async () => {
    setSaved(undefined);
    setChanges((n) => n + 1);
    await Promise.all([appointments.reload(), chart.reload()]);
  };

  return (
    <div className="chart">
      <p className="chart-back">
        <Link href={here('/staff/clients')}>← Clients</Link>
      </p>
      <div className="chart-head">
        <div>
          <PageTitle title="Client chart">
            {client.firstName} {client.lastName}
          </PageTitle>
          <p className="lead">
            Client of {setup.clinic.name}. Times are in {zoneLabel(zone)}.
          </p>
        </div>
        {(rights.book || rights.superbill) && (
          <div className="actions">
            {rights.book && (
              <Link className="btn btn-primary" href={here(`${base}/book`)}>
                Book a session
              </Link>
            )}
            {rights.superbill && (
              <Link className="btn btn-secondary" href={here(`${base}/superbill`)}>
                {insuranceDocument(setup)}
              </Link>
            )}
          </div>
        )}
      </div>

      {appointments.data && (
        <IntegrationDueNotice setup={setup} appointments={appointments.data} bookHref={rights.book ? here(`${base}/book`) : undefined} />
      )}

      <div className="chart-grid">
        <DetailsPart client={client} timezone={zone} editable={rights.editDetails} startEditing={editDetails} onSaved={setSaved} />
        <section className="card" aria-labelledby="course">
          <h2 id="course">Before a dosing session</h2>
          <Checklist client={client} setup={setup} appointments={appointments.data} />
        </section>
      </div>

      {rights.recordClearance && (
        <ClearancePart
          client={client}
          timezone={zone}
          onSaved={(updated) => {
            setSaved(updated);
            setClearanceSaves((n) => n + 1);
          }}
        />
      )}
      {rights.clearanceHistory && <ClearanceHistoryPart session={session} clientId={client.id} timezone={zone} changes={clearanceSaves} />}
      {rights.readDiagnoses && <DiagnosesPart clientId={client.id} timezone={zone} editable={rights.editDiagnoses} />}

      <section className="card" aria-labelledby="appointments">
        <h2 id="appointments">Appointments</h2>
        {appointments.error && !appointments.data ? (
          <PartError error={appointments.error} title="The appointments could not load" />
        ) : !appointments.data ? (
          <Loading />
        ) : (
          <AppointmentsPart
            setup={setup}
            appointments={appointments.data}
            session={session}
            clinicId={client.clinicId}
            firstName={client.firstName}
            clientId={client.id}
            changes={changes}
            onChanged={refresh}
          />
        )}
      </section>

      {rights.book && <WaitlistPart session={session} setup={setup} clientId={client.id} changes={changes} />}
      <ProgramsPart session={session} setup={setup} clientId={client.id} canSell={rights.book} changes={changes} />
      {rights.invoices && (
        <InvoicesPart
          session={session}
          clientId={client.id}
          clinicId={client.clinicId}
          currency={setup.clinic.currency}
          changes={changes}
        />
      )}
      {session.role === 'admin' && <AccessLogPart session={session} clientId={client.id} clinicId={client.clinicId} timezone={zone} />}
    </div>
  );
}

interface Check {
  key: string;
  title: string;
  ok: boolean;
  /** What is missing, or what is on file. */
  detail: ReactNode;
  /** A caution that does not block (a clearance that ends before a booked dosing session). */
  note?: ReactNode;
  /** Named in the summary when missing. */
  missing: string;
}

/**
 * What a dosing session needs (shared/domain/booking-rules.ts): an intake done or booked before
 * it, a clearance valid on its date, the clinic's preparations done or booked before it, a
 * ride-home contact. Judged for today; a clearance that ends before a booked dosing session is noted.
 */
function Checklist({ client, setup, appointments }: { client: Client; setup: ClinicSetup; appointments: Appointment[] | undefined }) {
  const zone = setup.clinic.timezone;
  const status = client.status;
  const required = setup.clinic.policy.requiredPreparationSessions;
  const active = (appointments ?? []).filter(isActive);
  const intakeBooked = active.find((a) => a.service === 'intake');
  const explorations = active.filter((a) => a.service === 'exploration');
  const clearance = status.clearance;
  const endsBefore =
    clearance.status === 'cleared' && clearance.validUntil
      ? explorations.find((a) => localDateOf(a.startsAt) > (clearance.validUntil ?? ''))
      : undefined;
  const stillNeeded = Math.max(0, required - status.preparationCount);

  const checks: Check[] = [
    {
      key: 'intake',
      title: 'Intake',
      ok: status.intakeCompleted || intakeBooked !== undefined,
      detail: status.intakeCompleted
        ? 'Completed'
        : intakeBooked
          ? `Booked for ${formatDateTime(intakeBooked.startsAt, zone)}; counts for dosing sessions after it`
          : 'Intake missing: none done or booked',
      missing: 'an intake',
    },
    {
      key: 'clearance',
      title: 'Medical clearance',
      ok: clearance.status === 'cleared',
      detail:
        clearance.status === 'cleared'
          ? clearance.validUntil
            ? `Cleared, valid until ${formatDate(clearance.validUntil)}`
            : 'Cleared, with no end date'
          : clearance.status === 'expired'
            ? `Clearance expired${clearance.validUntil ? ` on ${formatDate(clearance.validUntil)}` : ''}`
            : clearance.status === 'not_cleared'
              ? 'Not cleared for dosing'
              : 'Clearance missing',
      note: endsBefore
        ? `It ends before the dosing session booked for ${formatDateTime(endsBefore.startsAt, zone)}: that session needs a new clearance.`
        : undefined,
      missing: 'a valid medical clearance',
    },
    {
      key: 'preparation',
      title: 'Preparation sessions',
      ok: stillNeeded === 0,
      detail:
        required === 0
          ? 'None required by the clinic'
          : `${Math.min(status.preparationCount, required)} of ${required} booked or done (${status.preparationCompleted} done)${
              stillNeeded > 0 ? `: ${stillNeeded} more needed` : ''
            }`,
      missing: `${stillNeeded} more preparation session${stillNeeded === 1 ? '' : 's'}`,
    },
    {
      key: 'ride',
      title: 'Ride-home contact',
      ok: client.rideHome !== null,
      detail: client.rideHome ? `On file: ${client.rideHome.name}` : 'Ride-home contact missing',
      missing: 'a ride-home contact',
    },
  ];
  const missing = checks.filter((c) => !c.ok);

  return (
    <>
      <ul className="checklist">
        {checks.map((c) => (
          <li key={c.key} className={c.ok ? 'check-ok' : 'check-missing'}>
            <span className="check-mark" aria-hidden="true">
              {c.ok ? '✓' : '✗'}
            </span>
            <div>
              <p className="check-title">
                {c.title}
                <span className="visually-hidden">{c.ok ? ': in place' : ': missing'}</span>
              </p>
              <p className="check-detail">{c.detail}</p>
              {c.note && <p className="check-note">{c.note}</p>}
            </div>
          </li>
        ))}
      </ul>
      <p>
        {missing.length === 0 ? (
          <strong>Ready: a dosing session can be booked.</strong>
        ) : (
          <>
            <strong>Still needed for a dosing session:</strong> {missing.map((c) => c.missing).join(', ')}.
          </>
        )}
      </p>
      <p className="muted">
        Dosing sessions: {status.explorationCount} booked or done ({status.explorationCompleted} done).
      </p>
    </>
  );
}
