// The clinic's invoices (front desk, finance, admin): issued between two clinic-local dates (this
// month by default), optionally of one status, oldest first, 100 a page with "Load more". The
// filters live in the query string (`?status=&from=&to=`, plus an admin's `clinic`): dates and
// statuses only, never a name.
//
// Each row names its client (the API reads the page's clients in one batch), linked to the client's
// chart; the id stands in when the record could not be read. The totals row splits the balances
// into what is still due and what is owed back to clients. Above the filters, finance and admin
// see the refunds to settle (refunds-to-settle.tsx).
import { useState, type FormEvent } from 'react';
import { ok, type Api } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { DateRangeFields } from '../../components/date-range.tsx';
import { Badge, Button, ErrorAlert, Loading, PageTitle, Select, TableWrap } from '../../components/ui.tsx';
import { formatDate, formatMoney, localDateOf, todayIn } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import {
  ClinicLine,
  InvoiceNumberLink,
  INVOICE_STATUSES,
  isDate,
  monthOf,
  rangeProblem,
  useClinicSetup,
  type InvoiceRow,
  type InvoiceStatus,
} from './finance-common.tsx';
import { RefundsToSettle } from './refunds-to-settle.tsx';
import { invoiceBadge, STAFF_INVOICE_STATUS } from '../../lib/invoices.ts';
import { balancesOf } from './invoice-rules.ts';
import './finance.css';

interface Filters {
  status: InvoiceStatus | undefined;
  from: string;
  to: string;
}

/** A page whose status filter kept nothing may still have a next page: read on, a few pages at most. */
const EMPTY_PAGES_READ_ON = 5;

async function readPage(api: Api, clinicId: string, f: Filters, cursor: string | undefined) {
  const items: InvoiceRow[] = [];
  let next: string | null | undefined = cursor;
  for (let i = 0; i < EMPTY_PAGES_READ_ON; i++) {
    const page: { items: InvoiceRow[]; nextCursor: string | null } = await ok(
      api.GET('/v1/invoices', {
        params: {
          query: { clinicId, from: f.from, to: f.to, ...(f.status ? { status: f.status } : {}), ...(next ? { cursor: next } : {}) },
        },
      }),
    );
    items.push(...page.items);
    next = page.nextCursor;
    if (items.length > 0 || !next) break;
  }
  return { items, cursor: next ?? null };
}

export function StaffInvoicesPage({ session }: { session: StaffSession }) {
  const { clinicId, picker } = useStaffClinic(session);
  const setup = useClinicSetup(clinicId);
  const zone = setup.data?.clinic.timezone;
  return (
    <>
      <PageTitle title="Invoices">Invoices</PageTitle>
      {picker}
      <ClinicLine setup={setup.data} />
      <ErrorAlert error={setup.error} title="This clinic could not load" />
      {clinicId && <RefundsToSettle session={session} clinicId={clinicId} />}
      {clinicId && zone ? <InvoiceList session={session} clinicId={clinicId} zone={zone} /> : !setup.error && <Loading />}
    </>
  );
}

function InvoiceList({ session, clinicId, zone }: { session: StaffSession; clinicId: string; zone: string }) {
  const { api } = useApp();
  const { path, query } = useLocation();
  const month = monthOf(todayIn(zone));
  const wanted = query.get('status');
  const filters: Filters = {
    status: INVOICE_STATUSES.find((s) => s === wanted),
    from: isDate(query.get('from')) ? (query.get('from') ?? month.from) : month.from,
    to: isDate(query.get('to')) ? (query.get('to') ?? month.to) : month.to,
  };
  const { status, from, to } = filters;

  const first = useLoad(() => readPage(api, clinicId, { status, from, to }, undefined), [api, clinicId, status, from, to]);
  // pages read with "Load more", kept only while they follow the first page they were read after
  const [more, setMore] = useState<{ after: unknown; items: InvoiceRow[]; cursor: string | null }>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const extra = more && more.after === first.data ? more : undefined;
  const rows = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : (first.data?.cursor ?? null);

  const loadMore = async () => {
    if (!cursor || !first.data) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const page = await readPage(api, clinicId, filters, cursor);
      setMore({ after: first.data, items: [...(extra?.items ?? []), ...page.items], cursor: page.cursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  };

  const apply = (next: Filters) => {
    const q = new URLSearchParams(query);
    q.delete('status');
    if (next.status) q.set('status', next.status);
    q.set('from', next.from);
    q.set('to', next.to);
    navigate(`${path}?${q.toString()}`);
  };

  const currency = rows[0]?.currency;
  const sum = (pick: (r: InvoiceRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  // a balance below 0 is a refund still to make: added to the others it would hide as much still due
  const balances = currency ? balancesOf(rows, currency) : undefined;

  return (
    <>
      {/* a new query string gives the form its values again (back and forward included) */}
      <FilterForm key={`${status ?? ''}|${from}|${to}`} filters={filters} error={first.error} onApply={apply} />
      <ErrorAlert error={first.error} title="The invoices could not load" />
      {/* a new filter's first page replaces the rows: the previous filter's are not shown meanwhile */}
      {first.loading && <Loading label="Loading invoices…" />}
      {first.data && !first.loading && (
        <section aria-labelledby="invoice-list">
          <h2 id="invoice-list" className="fin-list-heading">
            {status ? `${STAFF_INVOICE_STATUS[status].label} invoices` : 'All invoices'} issued {formatDate(from)} – {formatDate(to)}
          </h2>
          <p className="muted" role="status">
            {rows.length === 0
              ? cursor
                ? 'None found yet in the invoices read so far.'
                : 'No invoices match these filters.'
              : `${rows.length} invoice${rows.length === 1 ? '' : 's'} shown${cursor ? ', more to load' : ''}. Oldest first.`}
          </p>
          {rows.length > 0 && (
            <TableWrap label="Invoices">
              <table className="fin-table">
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Client</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col" className="num">
                      Paid
                    </th>
                    <th scope="col" className="num">
                      Refunded
                    </th>
                    <th scope="col" className="num">
                      Balance
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((inv) => {
                    const st = invoiceBadge(inv, 'staff');
                    return (
                      <tr key={inv.id}>
                        <th scope="row">
                          <InvoiceNumberLink invoice={inv} session={session} clinicId={clinicId} />
                        </th>
                        <td className="fin-nowrap">{formatDate(localDateOf(inv.issuedAt))}</td>
                        <td>
                          <Link
                            className={inv.clientName ? undefined : 'fin-id'}
                            href={withClinic(`/staff/clients/${encodeURIComponent(inv.clientId)}`, session, clinicId)}
                          >
                            {inv.clientName ?? inv.clientId}
                          </Link>
                        </td>
                        <td>
                          <Badge tone={st.tone}>{st.label}</Badge>
                        </td>
                        <td className="num">{formatMoney(inv.total)}</td>
                        <td className="num">{formatMoney(inv.paid)}</td>
                        <td className="num">{formatMoney(inv.refunded)}</td>
                        <td className="num">{formatMoney(inv.balance)}</td>
                      </tr>
                    );
                  })}
                </tbody>
                {balances && currency && (
                  <tfoot>
                    <tr className="balance">
                      <th scope="row" colSpan={4}>
                        Shown ({rows.length})
                      </th>
                      <td className="num">{formatMoney({ amount: sum((r) => r.total.amount), currency })}</td>
                      <td className="num">{formatMoney({ amount: sum((r) => r.paid.amount), currency })}</td>
                      <td className="num">{formatMoney({ amount: sum((r) => r.refunded.amount), currency })}</td>
                      <td className="num">
                        <span className="fin-split">Still due {formatMoney(balances.due)}</span>
                        {balances.owedBack.amount > 0 && <span className="fin-split">Owed back {formatMoney(balances.owedBack)}</span>}
                      </td>
                    </tr>
                  </tfoot>
                )}
              </table>
            </TableWrap>
          )}
          <ErrorAlert error={moreError} title="More invoices could not load" />
          {cursor && (
            <div className="actions">
              <Button kind="secondary" busy={moreBusy} onClick={() => void loadMore()}>
                Load more
              </Button>
            </div>
          )}
        </section>
      )}
    </>
  );
}

function FilterForm({ filters, error, onApply }: { filters: Filters; error: unknown; onApply: (f: Filters) => void }) {
  const [status, setStatus] = useState<string>(filters.status ?? '');
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const problem = rangeProblem(from, to);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    onApply({ status: INVOICE_STATUSES.find((s) => s === status), from, to });
  };
  return (
    <form className="card fin-filters" onSubmit={submit} noValidate aria-label="Filter invoices">
      <Select
        label="Status"
        value={status}
        onChange={setStatus}
        options={[{ value: '', label: 'Any status' }, ...INVOICE_STATUSES.map((s) => ({ value: s, label: STAFF_INVOICE_STATUS[s].label }))]}
      />
      <DateRangeFields
        from={from}
        to={to}
        onFrom={setFrom}
        onTo={setTo}
        error={error}
        toProblem={problem}
        labels={{ from: 'Issued from', to: 'Issued to' }}
      />
      <div className="fin-filters-submit">
        <Button type="submit" disabled={problem !== undefined}>
          Show invoices
        </Button>
      </div>
    </form>
  );
}
