// A client's superbill (US) or receipt for insurance (Canada) for chosen dates, as the client's
// page (pages/superbill.tsx) and finance's (pages/staff/superbill.tsx) both show it: the dates
// (at most a year, checked here and by the API), the summary read as JSON, and the PDF of the
// same route fetched with the bearer token and saved. The dates stay in the page, never the URL.
import { useState } from 'react';
import { ok } from '../api/client.ts';
import { useApp } from '../app-context.tsx';
import { serviceName, type ClinicSetup, type Superbill } from '../lib/clinic-data.ts';
import { formatDate, formatMoney, todayIn } from '../lib/format.ts';
import { saveBlob } from '../lib/save-blob.ts';
import { DateRangeFields } from './date-range.tsx';
import { TableWrap } from './ui.tsx';

/** The API's longest period: 366 days, both ends included. */
const MAX_DAYS = 366;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

export interface ShownSuperbill {
  from: string;
  to: string;
  doc: Superbill;
}

/** The dates (this year so far by default), what they show, and the two reads of the route. */
export function useSuperbill(clientId: string, setup: ClinicSetup) {
  const { api } = useApp();
  const us = setup.clinic.country === 'US';
  const today = todayIn(setup.clinic.timezone);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [shown, setShown] = useState<ShownSuperbill>();
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
  const params = { path: { clientId }, query: { from, to } };

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

  return { us, from, setFrom, to, setTo, rangeProblem, shown, busy, error, show, download };
}

/** The first and last date, with the range's problem (or the API's) under the last. */
export function SuperbillDateFields({ state }: { state: ReturnType<typeof useSuperbill> }) {
  const { from, setFrom, to, setTo, rangeProblem, error } = state;
  return (
    <div className="grid-2 tight">
      <DateRangeFields from={from} to={to} onFrom={setFrom} onTo={setTo} error={error} toProblem={rangeProblem} maxDays={MAX_DAYS} />
    </div>
  );
}

/** What the dates show: the clinic, the diagnosis codes, each session with what was charged and paid, the totals. */
export function SuperbillSummary({ setup, shown, tableClassName }: { setup: ClinicSetup; shown: ShownSuperbill; tableClassName?: string }) {
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
          <table className={['stack-on-phone', tableClassName].filter(Boolean).join(' ')}>
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
                  <td data-label="Session">
                    {serviceName(setup, l.service)}
                    {'placeOfService' in l && <span className="row-detail">{l.placeOfService === '10' ? 'By video' : 'In person'}</span>}
                  </td>
                  {us && <td data-label="CPT">{'cptCode' in l ? [l.cptCode, ...l.modifiers].join(' ') : '—'}</td>}
                  <td data-label="Practitioner">
                    {l.provider.name}
                    <span className="row-detail">{'npi' in l.provider ? `NPI ${l.provider.npi}` : l.provider.credentials}</span>
                  </td>
                  <td className="num" data-label="Charged">
                    {formatMoney(l.charge)}
                  </td>
                  <td className="num" data-label="Paid">
                    {formatMoney(l.paid)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="balance">
                <th scope="row" colSpan={us ? 4 : 3}>
                  Total
                </th>
                <td className="num" data-label="Charged">
                  {formatMoney(doc.totals.charge)}
                </td>
                <td className="num" data-label="Paid">
                  {formatMoney(doc.totals.paid)}
                </td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
