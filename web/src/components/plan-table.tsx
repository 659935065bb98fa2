// An installment plan as a table: what is charged when, and (once bought) each charge's status.
// The same table shows the preview before paying (pages/buy.tsx) and the plan of a bought
// package (pages/package.tsx), so the person recognises it. Which payment it is sits under its
// date, not in a column of its own: with a status badge, four columns did not fit a phone.
import type { ReactNode } from 'react';
import { formatDate, formatMoney, type Money } from '../lib/format.ts';
import { TableWrap } from './ui.tsx';

export interface PlanRow {
  key: string;
  /** A clinic-local date (YYYY-MM-DD), or words ("Today, at checkout"). */
  when: { date: string } | { words: string };
  what: string;
  amount: Money;
  status?: ReactNode;
}

export function PlanTable({ label, rows, total }: { label: string; rows: PlanRow[]; total: Money }) {
  const withStatus = rows.some((r) => r.status !== undefined);
  return (
    <TableWrap label={label}>
      <table className="plan">
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col" className="num">
              Amount
            </th>
            {withStatus && <th scope="col">Status</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {'date' in r.when ? formatDate(r.when.date) : r.when.words}
                <span className="row-detail">{r.what}</span>
              </th>
              <td className="num">{formatMoney(r.amount)}</td>
              {withStatus && <td>{r.status}</td>}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="balance">
            <th scope="row">Total</th>
            <td className="num">{formatMoney(total)}</td>
            {withStatus && <td />}
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}
