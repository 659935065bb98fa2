// A client's superbill (US clinics) or receipt for insurance (Canadian clinics), as finance and admin
// make it for the client: the dates (this year so far by default, at most 366 days), the summary
// (GET /v1/clients/{id}/superbill as JSON: the clinic's legal name and numbers, the diagnosis codes
// lettered as on the PDF, each completed session with its codes, charge and payment, the totals)
// and the PDF (the same route with Accept: application/pdf, fetched with the bearer token as a
// blob). The summary is read once on opening, for the default dates. The dates stay in the page,
// never in the URL (dates of service are health information). A document the clinic cannot make
// yet (422) says what is missing and who fixes it, in words for staff. The clinic is the client's.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { Button, ErrorAlert, Field, Loading, PageTitle, TableWrap } from '../../components/ui.tsx';
import { clinicSetup, serviceName, type Client, type ClinicSetup, type Superbill } from '../../lib/clinic-data.ts';
import { addDays, formatDate, formatMoney, todayIn } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { withClinic, type StaffSession } from './common.tsx';
import { ClinicLine, saveBlob, StaffErrorAlert } from './finance-common.tsx';
import './finance.css';

/** The API's longest period: 366 days, both ends included. */
const MAX_DAYS = 366;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

export function StaffSuperbillPage({ session, clientId }: { session: StaffSession; clientId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));
    return { client, setup: await clinicSetup(api, client.clinicId) };
  }, [api, clientId]);
  const us = data.data ? data.data.setup.clinic.country === 'US' : true;
  const kind = us ? 'Superbill' : 'Receipt for insurance';
  return (
    <>
      <PageTitle title={kind}>
        {kind}
        {data.data && (
          <>
            {' '}
            <span className="fin-title-detail">
              for {data.data.client.firstName} {data.data.client.lastName}
            </span>
          </>
        )}
      </PageTitle>
      {data.error ? (
        <ErrorAlert error={data.error} title="This client could not load" />
      ) : data.data ? (
        <SuperbillForm session={session} client={data.data.client} setup={data.data.setup} />
      ) : (
        <Loading />
      )}
    </>
  );
}

function SuperbillForm({ session, client, setup }: { session: StaffSession; client: Client; setup: ClinicSetup }) {
  const { api } = useApp();
  const us = setup.clinic.country === 'US';
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
  const params = { path: { clientId: client.id }, query: { from, to } };

  const show = async () => {
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

  // the default dates' summary at once (and the API's answer: a refusal, or no access)
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    void show();
  }, []); // once, on opening

  const download = async () => {
    if (rangeProblem) return;
    setBusy('pdf');
    setError(undefined);
    try {
      const blob = await ok(
        api.GET('/v1/clients/{clientId}/superbill', { params, headers: { accept: 'application/pdf' }, parseAs: 'blob' }),
      );
      saveBlob(blob, `${us ? 'superbill' : 'receipt'}-${from}-to-${to}.pdf`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void show();
  };

  return (
    <>
      <ClinicLine setup={setup} />
      <p className="lead">
        {us
          ? 'The client’s completed sessions with the codes an insurer asks for (diagnosis, CPT, place of service, the practitioner’s NPI), what was charged and what the client paid, to hand to the client for an out-of-network claim.'
          : 'The client’s completed sessions with each practitioner’s credentials, what was charged and what the client paid, for the client’s insurer.'}
      </p>
      <form className="card form superbill-form" onSubmit={submit} noValidate aria-label="Dates of the document">
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
            Show sessions
          </Button>
          <Button kind="secondary" busy={busy === 'pdf'} disabled={rangeProblem !== undefined} onClick={() => void download()}>
            Download PDF
          </Button>
        </div>
      </form>
      <StaffErrorAlert error={error} title={us ? 'The superbill could not be made' : 'The receipt could not be made'} />
      {busy === 'show' && <Loading label="Gathering the client’s sessions…" />}
      {shown && <Summary setup={setup} shown={shown} />}
      <p>
        <Link href={withClinic(`/staff/clients/${encodeURIComponent(client.id)}`, session, client.clinicId)}>The client’s chart</Link>
        {' · '}
        <Link href={withClinic('/staff/invoices', session, client.clinicId)}>Invoices</Link>
      </p>
    </>
  );
}

/** The summary, as the client's page shows it (pages/superbill.tsx), in the third person. */
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
          <table className="fin-table">
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
