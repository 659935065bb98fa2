// The day (front desk, clinicians, admin): one column per provider and per room on a shared time
// axis in the clinic's zone, or the same appointments as a list in time order; each appointment a
// button that opens its actions (appointment-actions.tsx). In the grid an appointment shows twice
// (its practitioner's column and its room's) but is one Tab stop, and Tab goes in time order. The day and clinic are in the URL
// (`?date=YYYY-MM-DD`, an admin's `?clinic=`); the schedule refreshes itself every 30 s while the
// tab is visible (and at once when it becomes visible again) without closing the open panel or
// losing the grid's scroll position. The grid is a box as tall as the window that opens scrolled to
// where it matters (today: an hour before now; another day: its first appointment). Below it: "a
// dosing day at a glance" (day-glance.tsx). Each practitioner's time off is a shaded band in their
// column (read with the schedule, one GET …/time-off for the day), and a session still booked in it
// is badged "In time off": adding time off moves no session, the desk does.
//
// Cheap to render (a bench measures it with 20 providers, 6 rooms and 150 appointments): the
// layout is computed once per answer (day-layout.ts, memoized), cards are memoized and carry no
// effects, and nothing is measured in the DOM but a column's height, once per day opened (to
// scroll to). `performance.mark('kapstone:day-data')` is set when the schedule's answer arrives and
// `kapstone:day-rendered` in the frame after it is on screen.
import './day.css';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, Checkbox, ErrorAlert, Field, Loading, PageTitle } from '../../components/ui.tsx';
import { clinicSetup, type Client } from '../../lib/clinic-data.ts';
import { addDays, formatLongDate, formatTime, todayIn, zoneLabelOn } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useRefreshWhileVisible } from '../../lib/use-refresh.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { AppointmentActionsDialog } from './appointment-actions.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { DosingGlance } from './day-glance.tsx';
import { weekHref } from './week-layout.ts';
import {
  FLAGS,
  STATUS,
  dayLayout,
  flagsOf,
  nowMinute,
  openingMinute,
  type DayLayout,
  type DayTimeOff,
  type OffBand,
  type Placed,
  type ScheduleAppointment,
  type Shown,
} from './day-layout.ts';

const REFRESH_MS = 30_000;

const dayName = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' });
/** "Monday, December 7" for a clinic-local date. */
const describeDay = (date: string) => dayName.format(new Date(`${date}T12:00:00Z`));

/** A real calendar date of the API's working range, as YYYY-MM-DD. */
function isDate(d: string | null): d is string {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d) || d < '2000-01-01' || d > '2100-12-31') return false;
  const t = new Date(`${d}T12:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

export function DayPage({ session }: { session: StaffSession }) {
  const { api } = useApp();
  const { path, query } = useLocation();
  const { clinicId, picker } = useStaffClinic(session);

  // the clinic's setup (zone, policy, catalog, providers) and rooms: once per clinic
  const base = useLoad(async () => {
    if (!clinicId) return undefined;
    const [setup, rooms] = await Promise.all([
      clinicSetup(api, clinicId),
      ok(api.GET('/v1/clinics/{clinicId}/rooms', { params: { path: { clinicId } } })),
    ]);
    return { clinicId, setup, rooms };
  }, [api, clinicId]);
  const ready = base.data && base.data.clinicId === clinicId ? base.data : undefined;
  const tz = ready?.setup.clinic.timezone;
  const asked = query.get('date');
  const date = isDate(asked) ? asked : tz ? todayIn(tz) : undefined;

  // the day's schedule and time off, side by side: again on a timer, after an action, and on
  // "Refresh now". Time off that could not load leaves the schedule shown, with a warning.
  const schedule = useLoad(async () => {
    if (!clinicId || !date) return undefined;
    const [answer, off] = await Promise.all([
      ok(api.GET('/v1/clinics/{clinicId}/schedule', { params: { path: { clinicId }, query: { date } } })),
      ok(api.GET('/v1/clinics/{clinicId}/time-off', { params: { path: { clinicId }, query: { from: date, to: date } } })).then(
        (a): { timeOff: DayTimeOff[]; timeOffError?: unknown } => ({ timeOff: a.timeOff }),
        (timeOffError: unknown) => ({ timeOff: [], timeOffError }),
      ),
    ]);
    performance.mark('kapstone:day-data');
    return { ...answer, ...off, clinicId, asked: date, loadedAt: new Date().toISOString() };
  }, [api, clinicId, date]);
  // an answer for another day or clinic (still on screen while the new one loads) is not shown
  const day = schedule.data && schedule.data.clinicId === clinicId && schedule.data.asked === date ? schedule.data : undefined;
  const reloadSchedule = schedule.reload;

  useRefreshWhileVisible(reloadSchedule, REFRESH_MS);

  const [view, setView] = useState<'grid' | 'list'>('grid');
  const [showCancelled, setShowCancelled] = useState(false);
  const layout = useMemo(
    () =>
      day && ready
        ? dayLayout({
            date: day.date,
            timezone: day.timezone,
            appointments: day.appointments,
            setup: ready.setup,
            rooms: ready.rooms,
            showCancelled,
            timeOff: day.timeOff,
          })
        : undefined,
    [day, ready, showCancelled],
  );

  // the bench's second mark: once per answer, in the frame after the grid with it is committed
  const marked = useRef<unknown>(undefined);
  useEffect(() => {
    if (!day || !layout || marked.current === day) return;
    marked.current = day;
    requestAnimationFrame(() => performance.mark('kapstone:day-rendered'));
  }, [day, layout]);

  // the dosing glance: the exploration clients' status (a few reads a day), again after an action
  const explorations = useMemo(
    () => layout?.list.filter((s) => s.a.service === 'exploration' && s.a.status !== 'cancelled') ?? [],
    [layout],
  );
  const clientIds = useMemo(
    () => (session.role === 'finance' ? '' : [...new Set(explorations.map((s) => s.a.clientId))].sort().join(',')),
    [explorations, session.role],
  );
  const [epoch, setEpoch] = useState(0);
  const statuses = useLoad(async () => {
    if (!clientIds) return new Map<string, Client>();
    const clients = await Promise.all(
      clientIds.split(',').map((clientId) => ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }))),
    );
    return new Map(clients.map((c) => [c.id, c]));
  }, [api, clientIds, epoch]);

  // the open actions panel: the appointment as last seen, refreshed with each answer
  const [open, setOpen] = useState<ScheduleAppointment>();
  const openCard = useCallback((a: ScheduleAppointment) => setOpen(a), []);
  const current = open ? (day?.appointments.find((a) => a.id === open.id) ?? open) : undefined;
  const region = useRef<HTMLElement>(null);

  const go = (to: string) => {
    const next = new URLSearchParams(query);
    next.set('date', to);
    navigate(`${path}?${next.toString()}`);
  };
  const refreshNow = () => {
    void reloadSchedule();
    setEpoch((n) => n + 1);
  };

  if (base.error) return <Page picker={picker} body={<ErrorAlert error={base.error} title="The day could not load" />} />;
  if (!ready || !date || !tz) return <Page picker={picker} body={<Loading />} />;
  const today = todayIn(tz);

  return (
    <Page
      picker={picker}
      lead={
        <>
          <p className="lead">
            {ready.setup.clinic.name}. Times are in {zoneLabelOn(tz, date)}.
          </p>
          {/* a line of their own, each link whole: inside the sentence they broke across lines at a tablet's width */}
          <ul className="day-links">
            <li>
              <Link href={withClinic(weekHref(date, undefined), session, clinicId)}>A practitioner’s week…</Link>
            </li>
            {(session.role === 'frontdesk' || session.role === 'admin') && (
              <>
                <li>
                  <Link href={withClinic('/staff/clients', session, clinicId)}>Book for a client</Link>
                </li>
                <li>
                  <Link href={withClinic('/staff/clients/new', session, clinicId)}>Add a new client</Link>
                </li>
                <li>
                  <Link href={withClinic('/staff/time-off', session, clinicId)}>Time off…</Link>
                </li>
              </>
            )}
          </ul>
        </>
      }
      body={
        <>
          <div className="day-bar" role="group" aria-label="Choose the day">
            <Button kind="secondary" onClick={() => go(addDays(date, -1))}>
              Previous day
            </Button>
            <Button kind="secondary" onClick={() => go(today)} aria-current={date === today ? 'date' : undefined}>
              Today
            </Button>
            <Button kind="secondary" onClick={() => go(addDays(date, 1))}>
              Next day
            </Button>
            <Field
              className="day-date"
              label="Date"
              type="date"
              value={date}
              min="2000-01-01"
              max="2100-12-31"
              onChange={(e) => {
                if (isDate(e.target.value)) go(e.target.value);
              }}
            />
          </div>
          <h2 className="day-heading">{formatLongDate(date)}</h2>
          <div className="day-tools">
            <div className="day-view" role="group" aria-label="View">
              <Button kind="secondary" aria-pressed={view === 'grid'} onClick={() => setView('grid')}>
                Grid
              </Button>
              <Button kind="secondary" aria-pressed={view === 'list'} onClick={() => setView('list')}>
                List
              </Button>
            </div>
            <Checkbox
              label={`Show cancelled${layout && layout.cancelled > 0 ? ` (${layout.cancelled})` : ''}`}
              checked={showCancelled}
              onChange={(e) => setShowCancelled(e.target.checked)}
            />
            <p className="day-updated">
              {day ? `Updated ${formatTime(day.loadedAt, tz)}` : 'Loading…'}{' '}
              <Button kind="link" onClick={refreshNow}>
                Refresh now
              </Button>
            </p>
          </div>
          {schedule.error && day ? (
            <Alert kind="warning" title="The day could not be refreshed">
              Showing it as of {formatTime(day.loadedAt, tz)}. It will try again in a moment.
            </Alert>
          ) : null}
          {day?.timeOffError ? (
            <Alert kind="warning" title="Time off could not load">
              The day does not show who is away. It will try again in a moment.
            </Alert>
          ) : null}
          {layout && layout.timeOff.length > 0 && (view === 'list' || layout.list.length === 0) && <TimeOffNote layout={layout} />}
          {schedule.error && !day ? (
            <ErrorAlert error={schedule.error} title="The day could not load" />
          ) : !layout ? (
            <Loading label="Loading the day…" />
          ) : layout.list.length === 0 ? (
            <div className="card day-empty">
              <p>
                <strong>No appointments on {describeDay(date)}.</strong>
              </p>
              {layout.cancelled > 0 && !showCancelled && (
                <p className="muted">
                  {layout.cancelled === 1 ? 'One appointment was cancelled' : `${layout.cancelled} appointments were cancelled`}: tick “Show
                  cancelled” to see {layout.cancelled === 1 ? 'it' : 'them'}.
                </p>
              )}
            </div>
          ) : view === 'grid' ? (
            <DayGrid date={date} layout={layout} nowAt={date === today ? nowMinute(tz) : undefined} onOpen={openCard} region={region} />
          ) : (
            <DayList layout={layout} onOpen={openCard} region={region} />
          )}
          {/* finance sees no clinical flags (minimum necessary): the glance would mislead */}
          {layout && session.role !== 'finance' && (
            <DosingGlance
              explorations={explorations}
              day={day?.appointments ?? []}
              clients={statuses.data}
              error={statuses.error}
              setup={ready.setup}
              dateLabel={describeDay(date)}
            />
          )}
          {current && (
            <AppointmentActionsDialog
              appointment={current}
              setup={ready.setup}
              session={session}
              clinicId={clinicId}
              onChanged={refreshNow}
              onClose={() => setOpen(undefined)}
              fallbackFocus={() => region.current}
            />
          )}
        </>
      }
    />
  );
}

function Page({ picker, lead, body }: { picker: ReactNode; lead?: ReactNode; body: ReactNode }) {
  return (
    <div className="day-page">
      <PageTitle title="Day">Day</PageTitle>
      {lead}
      {picker}
      {body}
    </div>
  );
}

// --- the grid ------------------------------------------------------------------------------

const DayGrid = memo(function DayGrid({
  date,
  layout,
  nowAt,
  onOpen,
  region,
}: {
  date: string;
  layout: DayLayout;
  nowAt: number | undefined;
  onOpen: (a: ScheduleAppointment) => void;
  region: RefObject<HTMLElement | null>;
}) {
  const id = useId();
  const span = layout.end - layout.start;
  const style = { '--day-hours': layout.hours.length, '--day-cols': layout.columns.length } as CSSProperties;
  const showNow = nowAt !== undefined && nowAt >= layout.start && nowAt <= layout.end;
  // the appointments in time order: Tab goes through them one by one (tabOrder), not column by column
  const order = useMemo(() => layout.list.map((s) => s.a.id), [layout]);
  const last = order.at(-1);
  // opened on a day, the grid scrolls once to where it matters (openingMinute): an hour before now
  // today, else the first appointment; a refresh keeps wherever the person scrolled since
  const scrolledFor = useRef<string>(undefined);
  useLayoutEffect(() => {
    const wrap = region.current;
    const body = wrap?.querySelector<HTMLElement>('.day-col');
    if (!wrap || !body || scrolledFor.current === date) return;
    scrolledFor.current = date;
    wrap.scrollTop = ((openingMinute(layout, nowAt) - layout.start) / span) * body.offsetHeight;
  }, [date, layout, nowAt, region, span]);
  return (
    <div
      className="day-grid-wrap"
      role="region"
      aria-label="The day by provider and room (the List view has the same in time order)"
      tabIndex={0}
      ref={region as RefObject<HTMLDivElement | null>}
      onKeyDown={(e) => tabOrder(e, order)}
    >
      <div className="day-grid" style={style}>
        <div className="day-corner" />
        {layout.columns.map((c, i) => (
          <div key={c.key} id={`${id}-${i}`} className={`day-head day-head-${c.kind}`} style={{ gridColumn: i + 2 }}>
            <span className="day-head-name">{c.name}</span> <span className="day-head-detail">{c.detail}</span>
            {c.off.map((o) => (
              <span key={o.id} className="day-head-off">
                {' '}
                Time off {o.when}
                {o.label ? ` · ${o.label}` : ''}
              </span>
            ))}
          </div>
        ))}
        <div className="day-axis" aria-hidden="true">
          {layout.hours.map((h) => (
            <span key={h.minute} style={{ top: `${((h.minute - layout.start) / span) * 100}%` }}>
              {h.label}
            </span>
          ))}
        </div>
        {layout.columns.map((c, i) => (
          <div
            key={c.key}
            className={`day-col day-col-${c.kind}${c.off.length > 0 ? ' day-col-off' : ''}`}
            role="group"
            aria-labelledby={`${id}-${i}`}
            style={{ gridColumn: i + 2 }}
          >
            {c.off.map((o) => o.height > 0 && <OffBandView key={o.id} band={o} />)}
            {c.items.map((p) => (
              <Card
                key={p.s.a.id}
                p={p}
                where={c.kind === 'provider' ? p.s.room : p.s.provider}
                primary={c.kind === 'provider'}
                tabStop={c.kind === 'provider' && p.s.a.id === last}
                onOpen={onOpen}
              />
            ))}
          </div>
        ))}
        {showNow && (
          <div className="day-now" aria-hidden="true">
            <span style={{ top: `${((nowAt - layout.start) / span) * 100}%` }} />
          </div>
        )}
      </div>
    </div>
  );
});

/**
 * Time off in a practitioner's column, behind the cards; its words run down the strip the cards
 * leave free, where no card covers them. The column's heading says it too, for screen readers.
 */
function OffBandView({ band }: { band: OffBand }) {
  return (
    <div className="day-off" style={{ top: `${band.top}%`, height: `${band.height}%` }} aria-hidden="true">
      <span className="day-off-text">Time off{band.label ? ` · ${band.label}` : ''}</span>
    </div>
  );
}

/** The day's time off in words, where no grid shows it (the List view, a day without appointments). */
function TimeOffNote({ layout }: { layout: DayLayout }) {
  return (
    <div className="day-off-note">
      <strong>Time off:</strong>{' '}
      <ul>
        {layout.timeOff.map((t) => (
          <li key={t.id}>
            {t.provider}, {t.when}
            {t.label ? ` (${t.label})` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** An appointment's card in its practitioner's column (the one Tab stops at; its room's copy is reached by pointer). */
const cardOf = (wrap: HTMLElement, appointmentId: string | undefined) =>
  appointmentId === undefined ? null : wrap.querySelector<HTMLElement>(`[data-appointment="${CSS.escape(appointmentId)}"][data-primary]`);

/**
 * Tab in the grid: one stop per appointment, in time order. The cards are out of the page's tab
 * order (each appointment has two: its practitioner's column and its room's, and the DOM holds them
 * column by column), so Tab and Shift+Tab move from one appointment to the next or the one before;
 * from the grid itself Tab goes to the first; past either end, out of the grid as usual. The last
 * appointment's card alone stays in the page's order, so that Shift+Tab from after the grid comes
 * back to it.
 */
function tabOrder(e: KeyboardEvent<HTMLDivElement>, order: readonly string[]): void {
  if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey || order.length === 0) return;
  const wrap = e.currentTarget;
  const target = e.target as HTMLElement;
  let next: HTMLElement | null | undefined;
  if (target === wrap) next = e.shiftKey ? undefined : cardOf(wrap, order[0]);
  else {
    const at = order.indexOf(target.dataset.appointment ?? '');
    if (at < 0) return;
    next = e.shiftKey ? (at === 0 ? wrap : cardOf(wrap, order[at - 1])) : cardOf(wrap, order[at + 1]);
  }
  if (!next) return;
  e.preventDefault();
  next.focus();
}

/** An appointment's status and flags as badges (the week's cards say them the same way). */
export function Badges({ a, inTimeOff }: { a: ScheduleAppointment; inTimeOff: boolean }) {
  const status = STATUS[a.status];
  return (
    <span className="day-badges">
      <Badge tone={status.tone}>{status.label}</Badge>
      {inTimeOff && (
        <>
          {' '}
          <Badge tone="warn">In time off</Badge>
        </>
      )}
      {a.status === 'cancelled' && a.late && (
        <>
          {' '}
          <Badge tone="warn">Late cancellation</Badge>
        </>
      )}
      {flagsOf(a).map((f) => (
        <span key={f}>
          {' '}
          <Badge tone={FLAGS[f].tone}>{FLAGS[f].label}</Badge>
        </span>
      ))}
    </span>
  );
}

interface CardProps {
  p: Placed;
  where: string | null;
  /** In the practitioner's column: the copy Tab stops at. */
  primary: boolean;
  /** The last appointment's (primary) card: in the page's tab order. */
  tabStop: boolean;
  onOpen: (a: ScheduleAppointment) => void;
}
/** Unchanged on a refresh (same appointment, same place): not drawn again. */
const samePlace = (x: CardProps, y: CardProps) =>
  x.p.s.sig === y.p.s.sig &&
  x.p.top === y.p.top &&
  x.p.height === y.p.height &&
  x.p.lane === y.p.lane &&
  x.p.lanes === y.p.lanes &&
  x.where === y.where &&
  x.primary === y.primary &&
  x.tabStop === y.tabStop &&
  x.onOpen === y.onOpen;

const Card = memo(function Card({ p, where, primary, tabStop, onOpen }: CardProps) {
  const { s } = p;
  const style: CSSProperties = {
    top: `${p.top}%`,
    height: `${p.height}%`,
    minHeight: `${p.height}%`,
    // a column with time off keeps a strip (--day-gutter) where its band shows beside the cards
    left: `calc((100% - var(--day-gutter, 0px)) * ${p.lane / p.lanes})`,
    width: `calc((100% - var(--day-gutter, 0px)) / ${p.lanes} - 3px)`,
  };
  return (
    <button
      type="button"
      className={`day-card day-${s.a.status}`}
      style={style}
      // out of the page's tab order (but the last): the grid moves Tab through the appointments in time order
      tabIndex={tabStop ? 0 : -1}
      data-appointment={s.a.id}
      data-primary={primary || undefined}
      onClick={() => onOpen(s.a)}
    >
      {/* what matters most first: a short card shows the rest when pointed at or focused */}
      <span className="day-card-time">{s.time}</span> <span className="day-card-name">{s.a.client?.name ?? 'Client'}</span>{' '}
      <Badges a={s.a} inTimeOff={s.inTimeOff} />{' '}
      <span className="day-card-line">
        {s.service} · {s.mode}
      </span>{' '}
      {where && <span className="day-card-line day-card-where">{where}</span>}
    </button>
  );
}, samePlace);

// --- the list (the same appointments in time order) ----------------------------------------

const DayList = memo(function DayList({
  layout,
  onOpen,
  region,
}: {
  layout: DayLayout;
  onOpen: (a: ScheduleAppointment) => void;
  region: RefObject<HTMLElement | null>;
}) {
  return (
    <ol className="day-list" aria-label="Appointments in time order" tabIndex={-1} ref={region as RefObject<HTMLOListElement | null>}>
      {layout.list.map((s: Shown) => (
        <li key={s.a.id}>
          <button type="button" className={`day-row day-${s.a.status}`} onClick={() => onOpen(s.a)}>
            <span className="day-row-time">{s.time}</span> <span className="day-row-name">{s.a.client?.name ?? 'Client'}</span>{' '}
            <span className="day-row-what">
              {s.service} · {s.mode}
            </span>{' '}
            <span className="day-row-where">
              {s.provider}
              {s.room ? `, ${s.room}` : ''}
            </span>{' '}
            <Badges a={s.a} inTimeOff={s.inTimeOff} />
          </button>
        </li>
      ))}
    </ol>
  );
});
