// A tiny history router: the path is the state, `navigate` pushes a new one, `<Link>` is a real
// <a href> (open in a new tab, keyboard and screen readers work) that navigates without a reload.
// Paths carry opaque ids only — never a name, a date of birth or a diagnosis (no PHI in URLs).
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const EVENT = 'kapstone:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

const snapshot = () => `${location.pathname}${location.search}`;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo(0, 0);
}

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, location.origin);
  return { path: url.pathname, query: url.searchParams };
}

/** `match('/invoices/:id', '/invoices/inv_1')` → `{ id: 'inv_1' }`, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i] ?? '';
    if (part.startsWith(':')) {
      if (value === '') return null;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) return null;
  }
  return params;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}

/**
 * The sign-in page that comes back to `back` (a path and query of this app) after signing in. On
 * the sign-in or sign-up page itself it keeps the `next` that page already has, never itself.
 */
export function signInHref(back: string): string {
  const url = new URL(back, location.origin);
  const next = url.pathname === '/sign-in' || url.pathname === '/sign-up' ? url.searchParams.get('next') : back;
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

/** This page's path and query (what `next` names to come back here). */
export const currentPage = (): string => `${location.pathname}${location.search}`;

/** Sends the browser elsewhere at once (a page that is only a redirect). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
