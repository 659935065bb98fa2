// A small grouped bar chart in SVG, no library: one group per label (a month), one bar per series,
// bars from a zero line (a negative value goes below it), three gridlines with money labels. It is
// one image to assistive technology (role="img" with the caller's summary); the figures themselves
// are in a table beside it, which is what a screen reader reads.
import { formatMoney } from '../../lib/format.ts';

export interface ChartSeries {
  name: string;
  /** A class of finance.css that sets the bars' and the legend swatch's fill. */
  className: string;
}

interface ChartGroup {
  label: string;
  /** One value per series, minor units; null: nothing to draw (a month still to come). */
  values: (number | null)[];
}

const W = 720;
const H = 260;
const PAD = { top: 16, right: 12, bottom: 28, left: 72 };

/** A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten. */
function niceCeil(v: number): number {
  if (v <= 0) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** "$12K", "$850": an axis label from minor units (whole units, short). */
function axisLabel(amount: number, currency: string): string {
  const units = amount / 100;
  const locale = currency === 'CAD' ? 'en-CA' : 'en-US';
  return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(units);
}

export function BarChart({
  series,
  groups,
  currency,
  summary,
}: {
  series: ChartSeries[];
  groups: ChartGroup[];
  currency: string;
  summary: string;
}) {
  const all = groups.flatMap((g) => g.values.filter((v): v is number => v !== null));
  const top = niceCeil(Math.max(1, ...all));
  const bottom = -niceCeil(-Math.min(0, ...all));
  const plotH = H - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  const y = (v: number) => PAD.top + ((top - v) / (top - bottom)) * plotH;
  const groupW = plotW / Math.max(1, groups.length);
  const barW = Math.max(2, (groupW * 0.78) / series.length);
  const ticks = [top, top / 2, 0, ...(bottom < 0 ? [bottom] : [])];

  return (
    <figure className="fin-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t} className={t === 0 ? 'fin-axis fin-zero' : 'fin-axis'}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 8} y={y(t)} dy="0.32em" textAnchor="end">
              {axisLabel(t, currency)}
            </text>
          </g>
        ))}
        {groups.map((g, i) => {
          const x0 = PAD.left + i * groupW + (groupW - barW * series.length) / 2;
          return (
            <g key={g.label}>
              {g.values.map((v, s) =>
                v === null || v === 0 ? null : (
                  <rect
                    key={s}
                    className={series[s]?.className}
                    x={x0 + s * barW}
                    y={Math.min(y(v), y(0))}
                    width={barW - 1}
                    height={Math.max(1, Math.abs(y(v) - y(0)))}
                  >
                    <title>{`${g.label}, ${series[s]?.name ?? ''}: ${formatMoney({ amount: v, currency })}`}</title>
                  </rect>
                ),
              )}
              <text className="fin-month" x={PAD.left + i * groupW + groupW / 2} y={H - 8} textAnchor="middle">
                {g.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="fin-legend">
          {series.map((s) => (
            <li key={s.name}>
              <svg className="fin-swatch" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
                <rect className={s.className} width="12" height="12" rx="2" />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
