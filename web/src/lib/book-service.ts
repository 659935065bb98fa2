// The kind of session the booking page opens on (an intake, a dosing session, …) travels in the
// tab's sessionStorage, never in the page's address: an address stays in the browser's history,
// shows in a screenshot and reaches every proxy's log, and a treatment word must not (docs/web.md,
// "Decisions", "No treatment words in addresses"). A link that books a kind stores it before going to `/book`;
// the page stores the kind chosen on it, so a reload and a sign-in that comes back keep it. The
// staff booking page reads it the same way ("Book integration session" on the chart and the day
// panel) and forgets it when left: its other links store nothing. "Book integration session" also
// stores which dosing session it is for (its id, next to the kind and under the same rules), so the
// week opens on that session's window; forgetting the kind forgets it too. A waitlist entry's
// "Book" (My care, the desk's waitlist, the chart) stores its place, practitioner and the week of
// its first open time beside the kind (`BookOpening`): the page opens on them while that kind is
// the one stored. An open time clicked on the desk's waitlist also stores that time (its instant
// and practitioner): the staff booking page chooses it once its week's times are read, if it is
// still among them (lib/waitlist-rules.ts, handedOverChoice), and then forgets it (a reload after
// booking it must not say it was taken).
import { tabStorage } from '../auth/session.ts';

interface Store {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'kapstone.bookService';
const AFTER_KEY = 'kapstone.bookAfter';
const OPENING_KEY = 'kapstone.bookOpening';
/** A service code's shape: anything else stored is not trusted as one. */
const CODE = /^[a-z][a-z_]{0,39}$/;
/** An appointment id's shape (opaque: a prefix and hex digits). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The kind stored for the booking page, or undefined: none (the page's own default then). */
export function readBookService(store: Pick<Store, 'getItem'>): string | undefined {
  const code = store.getItem(KEY);
  return code !== null && CODE.test(code) ? code : undefined;
}

/**
 * The dosing session whose integration window the booking page opens on, or undefined: only with a
 * kind stored beside it. The page still checks it is one of the client's (lib/integration-rules.ts).
 */
export function readBookAfter(store: Pick<Store, 'getItem'>): string | undefined {
  const id = store.getItem(AFTER_KEY);
  return readBookService(store) !== undefined && id !== null && ID.test(id) ? id : undefined;
}

/** Stores the kind the booking page opens on, and the dosing session it follows when one; undefined forgets both. */
export function writeBookService(store: Pick<Store, 'setItem' | 'removeItem'>, code: string | undefined, after?: string): void {
  const kept = code !== undefined && CODE.test(code);
  if (kept) store.setItem(KEY, code);
  else store.removeItem(KEY);
  if (kept && after !== undefined && ID.test(after)) store.setItem(AFTER_KEY, after);
  else store.removeItem(AFTER_KEY);
  if (!kept) store.removeItem(OPENING_KEY);
}

/** Where the booking page opens for a kind (a waitlist entry's): its place, practitioner ('' anyone) and week (a Monday). */
export interface BookOpening {
  service: string;
  mode: 'in_person' | 'telehealth';
  providerId: string;
  week: string;
  /** The open time to choose on arrival (the desk's waitlist): its instant, in the clinic's offset, and practitioner. */
  time?: { startsAt: string; providerId: string };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An instant as the API gives it: a date, a time and an offset (2026-12-15T09:00:00-05:00). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function timeOf(raw: unknown): BookOpening['time'] | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = raw as { startsAt?: unknown; providerId?: unknown };
  return typeof t.startsAt === 'string' &&
    INSTANT.test(t.startsAt) &&
    !Number.isNaN(Date.parse(t.startsAt)) &&
    typeof t.providerId === 'string' &&
    ID.test(t.providerId)
    ? { startsAt: t.startsAt, providerId: t.providerId }
    : undefined;
}

/** The opening stored for the kind stored now, or undefined (none, another kind's, or not of its shape). */
export function readBookOpening(store: Pick<Store, 'getItem'>): BookOpening | undefined {
  const raw = store.getItem(OPENING_KEY);
  const code = readBookService(store);
  if (raw === null || code === undefined) return undefined;
  try {
    const o = JSON.parse(raw) as Partial<BookOpening>;
    const shaped =
      o.service === code &&
      (o.mode === 'in_person' || o.mode === 'telehealth') &&
      typeof o.providerId === 'string' &&
      (o.providerId === '' || ID.test(o.providerId)) &&
      typeof o.week === 'string' &&
      DATE.test(o.week);
    if (!shaped) return undefined;
    // a time not of its shape is dropped: the page still opens on the week
    const time = timeOf(o.time);
    return { service: code, mode: o.mode!, providerId: o.providerId!, week: o.week!, ...(time ? { time } : {}) };
  } catch {
    return undefined;
  }
}

/** Stores the kind and where the page opens for it (no dosing session beside it). */
export function writeBookOpening(store: Pick<Store, 'setItem' | 'removeItem'>, opening: BookOpening): void {
  writeBookService(store, opening.service);
  if (CODE.test(opening.service)) store.setItem(OPENING_KEY, JSON.stringify(opening));
}

/** The opening stored without its time: chosen (or found taken) once, not again on a reload. */
export function forgetBookTime(store: Pick<Store, 'getItem' | 'setItem' | 'removeItem'>): void {
  const opening = readBookOpening(store);
  if (opening?.time === undefined) return;
  const { time: _chosen, ...rest } = opening;
  store.setItem(OPENING_KEY, JSON.stringify(rest));
}

/**
 * The kind an address of the app's older links names (`/book?service=exploration`: a bookmark, a
 * sign-in's `next`), to store before the address is replaced by `/book`; undefined for any other.
 */
export function serviceInOldLink(path: string, query: URLSearchParams): string | undefined {
  return path === '/book' ? (query.get('service') ?? undefined) : undefined;
}

// The tab's own storage. A browser that refuses it (storage off) books from the page's default.

export function storedBookService(): string | undefined {
  try {
    return readBookService(tabStorage());
  } catch {
    return undefined;
  }
}

export function storedBookAfter(): string | undefined {
  try {
    return readBookAfter(tabStorage());
  } catch {
    return undefined;
  }
}

export function storedBookOpening(): BookOpening | undefined {
  try {
    return readBookOpening(tabStorage());
  } catch {
    return undefined;
  }
}

export function storeBookOpening(opening: BookOpening): void {
  try {
    writeBookOpening(tabStorage(), opening);
  } catch {
    // nothing kept: the booking page opens on its default kind and week
  }
}

export function forgetStoredBookTime(): void {
  try {
    forgetBookTime(tabStorage());
  } catch {
    // nothing kept to forget
  }
}

export function storeBookService(code: string | undefined, after?: string): void {
  try {
    writeBookService(tabStorage(), code, after);
  } catch {
    // nothing kept: the booking page opens on its default kind
  }
}
