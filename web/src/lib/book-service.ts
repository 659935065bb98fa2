// The kind of session the booking page opens on (an intake, a dosing session, …) travels in the
// tab's sessionStorage, never in the page's address: an address stays in the browser's history,
// shows in a screenshot and reaches every proxy's log, and a treatment word must not (docs/web.md,
// "Decisions", "No treatment words in addresses"). A link that books a kind stores it before going to `/book`;
// the page stores the kind chosen on it, so a reload and a sign-in that comes back keep it. The
// staff booking page reads it the same way ("Book integration session" on the chart and the day
// panel) and forgets it when left: its other links store nothing.
import { tabStorage } from '../auth/session.ts';

interface Store {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'kapstone.bookService';
/** A service code's shape: anything else stored is not trusted as one. */
const CODE = /^[a-z][a-z_]{0,39}$/;

/** The kind stored for the booking page, or undefined: none (the page's own default then). */
export function readBookService(store: Pick<Store, 'getItem'>): string | undefined {
  const code = store.getItem(KEY);
  return code !== null && CODE.test(code) ? code : undefined;
}

/** Stores the kind the booking page opens on; undefined forgets it. */
export function writeBookService(store: Pick<Store, 'setItem' | 'removeItem'>, code: string | undefined): void {
  if (code !== undefined && CODE.test(code)) store.setItem(KEY, code);
  else store.removeItem(KEY);
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

export function storeBookService(code: string | undefined): void {
  try {
    writeBookService(tabStorage(), code);
  } catch {
    // nothing kept: the booking page opens on its default kind
  }
}
