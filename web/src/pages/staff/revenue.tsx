// Revenue over a year (finance, admin): for each month of the chosen year (this year in the clinic's
// zone by default; `?year=` in the query string) the revenue report of that month, read in
// parallel: earned (recognized), paid and not yet earned at the month's end (deferred), and cash
// collected, drawn as a bar chart with the same figures in a table (the chart alone is not
// accessible), and the year's totals. Months that have not begun yet are not asked for: their
// "deferred at the end" would only repeat today's figure.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Button, ErrorAlert, Loading, PageTitle, Select, TableWrap } from '../../components/ui.tsx';
import type { ClinicSetup } from '../../lib/clinic-data.ts';
import { formatMoney, todayIn } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { navigate, useLocation } from '../../router.tsx';
import { useStaffClinic, type StaffSession } from './common.tsx';
import { BarChart, type ChartSeries } from './finance-chart.tsx';
import { ClinicLine, monthRange, useClinicSetup, type RevenueFigures } from './finance-common.tsx';
import './finance.css';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const monthName = (m: number, style: 'short' | 'long') =>
  new Intl.DateTimeFormat('en-US', { month: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 15)));

/** How many years back the year picker offers. */
const YEARS_BACK = 5;

const SERIES: ChartSeries[] = [
  { name: 'Recognized (earned in the month)', className: 'fin-s-recognized' },
  { name: 'Deferred at the end of the month', className: 'fin-s-deferred' },
  { name: 'Collected (cash received)', className: 'fin-s-collected' },
];

export function RevenuePage({ session }: { session: StaffSession }) {
  const { clinicId, picker } = useStaffClinic(session);
  const setup = useClinicSetup(clinicId);
  return (
    <>
      <PageTitle title="Revenue">Revenue</PageTitle>
      {picker}
      <ClinicLine setup={setup.data} />
      <ErrorAlert error={setup.error} title="This clinic could not load" />
      {clinicId && setup.data ? <RevenueYear clinicId={clinicId} setup={setup.data} /> : !setup.error && <Loading />}
    </>
  );
}

interface MonthFigures {
  month: number;
  figures: RevenueFigures | null;
}

function RevenueYear({ clinicId, setup }: { clinicId: string; setup: ClinicSetup }) {
  const { api } = useApp();
  const { path, query } = useLocation();
  const today = todayIn(setup.clinic.timezone);
  const thisYear = Number(today.slice(0, 4));
  const thisMonth = Number(today.slice(5, 7));
  const asked = Number(query.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear;
  const currency = setup.clinic.currency;

  const begun = (m: number) => year < thisYear || m <= thisMonth;
  const data = useLoad(
    () =>
      Promise.all(
        MONTHS.map(async (month): Promise<MonthFigures> =>
          begun(month)
            ? {
                month,
                figures: await ok(
                  api.GET('/v1/clinics/{clinicId}/reports/revenue', { params: { path: { clinicId }, query: monthRange(year, month) } }),
                ),
              }
            : { month, figures: null },
        ),
      ),
    [api, clinicId, year, thisMonth],
  );

  const chooseYear = (value: string) => {
    const q = new URLSearchParams(query);
    q.set('year', value);
    navigate(`${path}?${q.toString()}`);
  };
  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - i);
  if (!years.includes(year)) years.push(year);

  return (
    <>
      <div className="fin-year">
        <Select
          label="Year"
          value={String(year)}
          onChange={chooseYear}
          options={years.map((y) => ({ value: String(y), label: String(y) }))}
        />
        {year !== thisYear && (
          <Button kind="link" onClick={() => chooseYear(String(thisYear))}>
            Back to {thisYear}
          </Button>
        )}
      </div>
      <ErrorAlert error={data.error} title="The revenue report could not load" />
      {data.loading && !data.data && <Loading label={`Reading ${year} month by month…`} />}
      {data.data && <YearReport year={year} months={data.data} currency={currency} current={year === thisYear ? thisMonth : undefined} />}
    </>
  );
}

function YearReport({ year, months, currency, current }: { year: number; months: MonthFigures[]; currency: string; current?: number }) {
  const money = (amount: number) => formatMoney({ amount, currency });
  const done = months.filter((m): m is { month: number; figures: RevenueFigures } => m.figures !== null);
  const total = (pick: (f: RevenueFigures) => number) => done.reduce((n, m) => n + pick(m.figures), 0);
  const totals = {
    recognized: total((f) => f.recognized.amount),
    billed: total((f) => f.billed.amount),
    collected: total((f) => f.collected.amount),
    refunded: total((f) => f.refunded.amount),
  };
  const last = done[done.length - 1];
  const lastName = last ? monthName(last.month, 'long') : undefined;
  const soFar = current !== undefined ? ' so far' : '';
  const summary =
    `Bar chart of recognized revenue, deferred revenue at the end of each month and cash collected, per month of ${year}, in ${currency}. ` +
    `${year}${soFar}: recognized ${money(totals.recognized)}, collected ${money(totals.collected)}` +
    (last && lastName
      ? `; deferred at the end of ${lastName}${last.month === current ? ' so far' : ''}: ${money(last.figures.deferredAtEnd.amount)}`
      : '') +
    '. The table below lists every month’s figures.';

  return (
    <>
      <section aria-labelledby="year-totals">
        <h2 id="year-totals">
          {year}
          {soFar} in total
        </h2>
        <dl className="fin-totals">
          <div className="card">
            <dt>Recognized</dt>
            <dd>{money(totals.recognized)}</dd>
          </div>
          <div className="card">
            <dt>Billed</dt>
            <dd>{money(totals.billed)}</dd>
          </div>
          <div className="card">
            <dt>Collected</dt>
            <dd>{money(totals.collected)}</dd>
          </div>
          <div className="card">
            <dt>Refunded</dt>
            <dd>{money(totals.refunded)}</dd>
          </div>
          {last && lastName && (
            <div className="card">
              {/* the month still running has no end yet: deferred as of today */}
              <dt>{last.month === current ? 'Deferred today' : `Deferred at the end of ${lastName}`}</dt>
              <dd>{money(last.figures.deferredAtEnd.amount)}</dd>
            </div>
          )}
        </dl>
      </section>

      <section className="card" aria-labelledby="by-month">
        <h2 id="by-month">Month by month</h2>
        <BarChart
          series={SERIES}
          currency={currency}
          summary={summary}
          groups={months.map((m) => ({
            label: monthName(m.month, 'short'),
            values: m.figures
              ? [m.figures.recognized.amount, m.figures.deferredAtEnd.amount, m.figures.collected.amount]
              : [null, null, null],
          }))}
        />
        <TableWrap label={`Revenue by month, ${year}`}>
          <table className="fin-table">
            <caption className="visually-hidden">
              Revenue by month, {year}, in {currency}
            </caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="num">
                  Recognized
                </th>
                <th scope="col" className="num">
                  Deferred at month end
                </th>
                <th scope="col" className="num">
                  Collected
                </th>
                <th scope="col" className="num">
                  Billed
                </th>
                <th scope="col" className="num">
                  Refunded
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map(({ month, figures: f }) => (
                <tr key={month}>
                  <th scope="row">
                    {monthName(month, 'long')}
                    {month === current && <span className="row-detail">so far</span>}
                  </th>
                  {f ? (
                    <>
                      <td className="num">{money(f.recognized.amount)}</td>
                      <td className="num">{money(f.deferredAtEnd.amount)}</td>
                      <td className="num">{money(f.collected.amount)}</td>
                      <td className="num">{money(f.billed.amount)}</td>
                      <td className="num">{money(f.refunded.amount)}</td>
                    </>
                  ) : (
                    <td colSpan={5} className="muted">
                      Not begun yet
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="balance">
                <th scope="row" className="fin-row-label">
                  Year{soFar}
                </th>
                <td className="num">{money(totals.recognized)}</td>
                <td className="num">{last ? money(last.figures.deferredAtEnd.amount) : '—'}</td>
                <td className="num">{money(totals.collected)}</td>
                <td className="num">{money(totals.billed)}</td>
                <td className="num">{money(totals.refunded)}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        <p className="muted fin-note">
          Recognized: what was earned on the month’s dates (a session once it took place, a program session by session). Deferred: paid and
          not yet earned. Billed: charges less credits and voids. Collected and refunded: money received and given back.
        </p>
      </section>
    </>
  );
}
