// The client's invoices on the chart (GET /v1/clients/{id}/invoices, newest first; an audited read
// of payment information): the front desk, finance and admin — never a clinician, whom the route
// refuses — see at the top what the client still owes and, apart, what the clinic owes back to them
// (never netted), then each invoice: its number (linked to its page, where a payment is taken or a
// refund settled), issue date, what it is for, status, total and balance.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Badge, Loading, TableWrap } from '../../components/ui.tsx';
import { formatDate, formatMoney, localDateOf } from '../../lib/format.ts';
import { invoiceBadge, invoiceTitle } from '../../lib/invoices.ts';
import { useLoad } from '../../lib/use-load.ts';
import type { StaffSession } from './common.tsx';
import { PartError } from './chart-common.tsx';
import { InvoiceNumberLink } from './finance-common.tsx';
import { balancesOf } from './invoice-rules.ts';
import './finance.css';

export function InvoicesPart({
  session,
  clientId,
  clinicId,
  currency,
  changes,
}: {
  session: StaffSession;
  clientId: string;
  clinicId: string;
  currency: string;
  /** Counts the chart's changes to the client's appointments: each one may have charged a fee, so the list is read again. */
  changes: number;
}) {
  const { api } = useApp();
  const invoices = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/invoices', { params: { path: { clientId } } })),
    // `changes` is not read: a change means the list may have changed
    [api, clientId, changes],
  );
  const list = invoices.data;
  const { due, owedBack } = balancesOf(list ?? [], currency);
  return (
    <section className="card" aria-labelledby="invoices">
      <h2 id="invoices">Invoices</h2>
      {invoices.error && !list ? (
        <PartError error={invoices.error} title="The invoices could not load" />
      ) : !list ? (
        <Loading />
      ) : list.length === 0 ? (
        <p className="muted">No invoice yet.</p>
      ) : (
        <>
          <dl className="chart-balances">
            <div>
              <dt>Still due</dt>
              <dd>{formatMoney(due)}</dd>
            </div>
            {owedBack.amount > 0 && (
              <div>
                <dt>Owed back to the client</dt>
                <dd>{formatMoney(owedBack)}</dd>
              </div>
            )}
          </dl>
          <TableWrap label="The client’s invoices">
            <table className="fin-table chart-invoices">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Issued</th>
                  <th scope="col">For</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Balance
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((inv) => {
                  const st = invoiceBadge(inv, 'staff');
                  return (
                    <tr key={inv.id}>
                      <th scope="row">
                        <InvoiceNumberLink invoice={inv} session={session} clinicId={clinicId} />
                      </th>
                      <td className="fin-nowrap">{formatDate(localDateOf(inv.issuedAt))}</td>
                      <td>{invoiceTitle(inv)}</td>
                      <td>
                        <Badge tone={st.tone}>{st.label}</Badge>
                      </td>
                      <td className="num">{formatMoney(inv.total)}</td>
                      <td className="num">
                        {inv.balance.amount < 0 ? (
                          <>
                            {formatMoney({ ...inv.balance, amount: -inv.balance.amount })}
                            <span className="row-detail">owed back</span>
                          </>
                        ) : (
                          formatMoney(inv.balance)
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
