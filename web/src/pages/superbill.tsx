// The client's superbill (US clinics) or receipt for insurance (Canadian clinics) over the dates it
// picks: the summary (GET /v1/clients/{id}/superbill as JSON: each completed session, its codes,
// charge and payment, the totals) and the PDF to send to an insurer (the same route with
// Accept: application/pdf, fetched with the bearer token as a blob). The dates stay in the page,
// never in the URL (dates of service are health information). A document the clinic cannot make
// yet (422: no diagnosis recorded, a practitioner without an NPI, no billing profile) says why in
// plain words (api/errors.ts).
import { useState, type FormEvent } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { fieldError } from '../api/errors.ts';
import { Button, ErrorAlert, Field, Loading, PageTitle, TableWrap } from '../components/ui.tsx';
import { clientRecord } from '../lib/client-data.ts';
import { clinicSetup, serviceName, type ClinicSetup, type Superbill } from '../lib/clinic-data.ts';
import { addDays, formatDate, formatMoney, todayIn } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';

/** The API's longest period: 366 days, both ends included. */
const MAX_DAYS = 366;

export function SuperbillPage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await clientRecord(api, session.clientId);
    return clinicSetup(api, client.clinicId);
  }, [api, session.clientId]);
  if (data.error) return <ErrorAlert error={data.error} title="This page could not load" />;
  if (!data.data) return <Loading />;
  return <SuperbillForm session={session} setup={data.data} />;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

function SuperbillForm({ session, setup }: { session: ClientSession; setup: ClinicSetup }) {
  const { api } = useApp();
  const us = setup.clinic.country === 'US';
  const title = us ? 'Superbill for your insurance' : 'Receipt for your insurance';
  const today = todayIn(setup.clinic.timezone);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [shown, setShown] = useState<{ from: string; to: string; doc: Superbill }>();
  const [busy, setBusy] = useState<'show' | 'pdf' | null>(null);
  const [error, setError] = useState<unknown>();

  const rangeProblem =
    from === '' || to === ''
      ? 'Choose both dates.'
      : to < from
        ? 'The last date comes before the first.'
        : daysBetween(from, to) >= MAX_DAYS
          ? 'Choose at most a year (366 days).'
          : undefined;
  const params = { path: { clientId: session.clientId }, query: { from, to } };

  const show = async (e: FormEvent) => {
    e.preventDefault();
    if (rangeProblem) return;
    setBusy('show');
    setError(undefined);
    try {
      // JSON unless asked for the PDF: the route's two answers are typed together
      const doc = (await ok(api.GET('/v1/clients/{clientId}/superbill', { params, headers: { accept: 'application/json' } }))) as Superbill;
      setShown({ from, to, doc });
    } catch (err) {
      setShown(undefined);
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    setBusy('pdf');
    setError(undefined);
    try {
      const blob = await ok(
        api.GET('/v1/clients/{clientId}/superbill', { params, headers: { accept: 'application/pdf' }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${us ? 'superbill' : 'receipt'}-${from}-to-${to}.pdf`;
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="lead">
        {us
          ? 'A superbill lists your completed sessions with the codes an insurer asks for (diagnosis, CPT, place of service, your practitioner’s NPI), what was charged and what you paid. Send it to your insurer to claim out-of-network benefits.'
          : 'A receipt for insurance lists your completed sessions with your practitioner’s credentials, what was charged and what you paid. Send it to your insurer or keep it for your taxes.'}
      </p>
      <form className="card form superbill-form" onSubmit={(e) => void show(e)} noValidate>
        <div className="grid-2 tight">
          <Field
            label="First date"
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
            error={fieldError(error, 'from')}
            required
          />
          <Field
            label="Last date"
            type="date"
            value={to}
            min={from}
            max={from ? addDays(from, MAX_DAYS - 1) : undefined}
            onChange={(e) => setTo(e.target.value)}
            error={rangeProblem ?? fieldError(error, 'to')}
            required
          />
        </div>
        <div className="actions">
          <Button type="submit" busy={busy === 'show'} disabled={rangeProblem !== undefined}>
            Show my sessions
          </Button>
          <Button kind="secondary" busy={busy === 'pdf'} disabled={rangeProblem !== undefined} onClick={() => void download()}>
            Download PDF
          </Button>
        </div>
      </form>
      <ErrorAlert error={error} title={us ? 'The superbill could not be made' : 'The receipt could not be made'} />
      {busy === 'show' && <Loading label="Gathering your sessions…" />}
      {shown && <Summary setup={setup} shown={shown} />}
      <p>
        <Link href="/invoices">Invoices and receipts for each payment</Link>
      </p>
    </>
  );
}

function Summary({ setup, shown }: { setup: ClinicSetup; shown: { from: string; to: string; doc: Superbill } }) {
  const { doc } = shown;
  const us = doc.kind === 'superbill';
  const clinic = doc.clinic;
  return (
    <section className="card" aria-labelledby="summary">
      <h2 id="summary">
        {formatDate(shown.from)} – {formatDate(shown.to)}
      </h2>
      <dl className="facts">
        <dt>Clinic</dt>
        <dd>
          {clinic.legalName}, {clinic.address.city}, {clinic.address.region}
        </dd>
        <dt>{us ? 'Tax ID' : 'Business number'}</dt>
        <dd>{clinic.taxId}</dd>
        {'npi' in clinic && clinic.npi && (
          <>
            <dt>Clinic NPI</dt>
            <dd>{clinic.npi}</dd>
          </>
        )}
        {doc.diagnosisCodes.length > 0 && (
          <>
            <dt>Diagnosis codes</dt>
            <dd>{doc.diagnosisCodes.map((c, i) => `${String.fromCharCode(65 + i)}. ${c}`).join(', ')}</dd>
          </>
        )}
      </dl>
      {doc.lines.length === 0 ? (
        <p>No completed sessions in these dates. Sessions appear here once they have taken place.</p>
      ) : (
        <TableWrap label="Sessions">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Session</th>
                {us && <th scope="col">CPT</th>}
                <th scope="col">Practitioner</th>
                <th scope="col" className="num">
                  Charged
                </th>
                <th scope="col" className="num">
                  Paid
                </th>
              </tr>
            </thead>
            <tbody>
              {doc.lines.map((l, i) => (
                <tr key={`${l.serviceDate}-${i}`}>
                  <th scope="row">{formatDate(l.serviceDate)}</th>
                  <td>
                    {serviceName(setup, l.service)}
                    {'placeOfService' in l && <span className="row-detail">{l.placeOfService === '10' ? 'By video' : 'In person'}</span>}
                  </td>
                  {us && <td>{'cptCode' in l ? [l.cptCode, ...l.modifiers].join(' ') : '—'}</td>}
                  <td>
                    {l.provider.name}
                    <span className="row-detail">{'npi' in l.provider ? `NPI ${l.provider.npi}` : l.provider.credentials}</span>
                  </td>
                  <td className="num">{formatMoney(l.charge)}</td>
                  <td className="num">{formatMoney(l.paid)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="balance">
                <th scope="row" colSpan={us ? 4 : 3}>
                  Total
                </th>
                <td className="num">{formatMoney(doc.totals.charge)}</td>
                <td className="num">{formatMoney(doc.totals.paid)}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
