// "Refunds to settle", at the top of finance's home page (the clinic's invoices): the invoices whose
// automatic refund the refund job gave up on, which only a person can settle now (on each invoice's
// page). Finance and admin only: the API refuses anyone else, so the front desk's page never asks.
// Nothing is shown while the list loads or when it is empty, and a failure to load it is one
// error line that leaves the invoice list below working.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { ErrorAlert, TableWrap } from '../../components/ui.tsx';
import { formatMoney } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import type { StaffRole, StaffSession } from './common.tsx';
import { InvoiceNumberLink } from './finance-common.tsx';
import './finance.css';

/** Who is shown the card (GET /v1/clinics/{clinicId}/refunds/given-up: finance of the clinic and admin). */
const seesRefundsToSettle = (role: StaffRole) => role === 'finance' || role === 'admin';

export function RefundsToSettle({ session, clinicId }: { session: StaffSession; clinicId: string }) {
  if (!seesRefundsToSettle(session.role)) return null;
  // a new clinic (an admin's switch) starts empty rather than showing the last clinic's list meanwhile
  return <GivenUpList key={clinicId} session={session} clinicId={clinicId} />;
}

function GivenUpList({ session, clinicId }: { session: StaffSession; clinicId: string }) {
  const { api } = useApp();
  const list = useLoad(() => ok(api.GET('/v1/clinics/{clinicId}/refunds/given-up', { params: { path: { clinicId } } })), [api, clinicId]);
  if (list.error) return <ErrorAlert error={list.error} title="The refunds to settle could not load" />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="refunds-to-settle">
      <h2 id="refunds-to-settle" className="fin-list-heading">
        Refunds to settle
      </h2>
      <p className="muted">The automatic refund gave up on these invoices: each invoice’s page has what to do.</p>
      <TableWrap label="Invoices with a refund to settle">
        <table className="fin-table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Client</th>
              <th scope="col" className="num">
                Owed back
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((inv) => (
              <tr key={inv.id}>
                <th scope="row">
                  <InvoiceNumberLink invoice={inv} session={session} clinicId={clinicId} />
                </th>
                <td className={inv.clientName ? undefined : 'fin-id'}>{inv.clientName ?? inv.clientId}</td>
                <td className="num">{formatMoney(inv.refundDue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
