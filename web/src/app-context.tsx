// The app's shared state: the session (from the stored token), the API client bound to it and
// the sign-in provider. Pages read it with useApp().
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApi, type Api } from './api/client.ts';
import { AuthError, type AuthProvider } from './auth/provider.ts';
import { sessionWithHint, successorOf, tokenLifetime, tokenStore, type Session } from './auth/session.ts';
import { storeBookService } from './lib/book-service.ts';
import { forgetClients } from './lib/client-data.ts';
import { SAME_ORIGIN, type RuntimeConfig } from './config.ts';
import { useLocation } from './router.tsx';

interface AppState {
  api: Api;
  /** /config.json as read at start (config.ts). */
  config: RuntimeConfig;
  auth: AuthProvider;
  session: Session | null;
  /**
   * Keeps the token (sessionStorage) and re-renders as the new person. `clientId`: a new client's
   * record, used when the token does not name it yet (Cognito's refresh lagging the API).
   */
  signedIn: (token: string, clientId?: string) => Session;
  signOut: () => Promise<void>;
  /**
   * Set when a call answered 401 to the stored token: the token is forgotten (signed out), and the
   * page it happened on (`path`) says so and offers to sign in again. `session` is who was signed
   * in (null: the token was already past its time), so that page can still show what was asked
   * and refused (app.tsx); any other page is a visitor's.
   */
  ended: EndedSession | null;
}

export interface EndedSession {
  session: Session | null;
  path: string;
}

const AppContext = createContext<AppState | null>(null);

/** How long before its expiry a token is renewed (a tab asleep past it renews when it wakes). */
const RENEW_BEFORE_MS = 5 * 60_000;

export function AppProvider({ auth, config = SAME_ORIGIN, children }: { auth: AuthProvider; config?: RuntimeConfig; children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => tokenStore.read());
  const [ended, setEnded] = useState<EndedSession | null>(null);
  const session = useMemo(() => (token ? sessionWithHint(token, tokenStore.readClientId()) : null), [token]);
  // the ended session is the page's it happened on: gone once the person goes elsewhere
  const { path } = useLocation();
  if (ended && ended.path !== path) setEnded(null);

  /** The last token this page received (signed in or renewed) and when: silent renewal times it by its lifetime. */
  const received = useRef<{ token: string | null; at: number }>({ token: null, at: 0 });
  const lastRenewal = useRef(0);
  const renewal = useRef<Promise<string> | null>(null);

  /**
   * A new token for `current` from the provider that can renew (Cognito), kept only while `current`
   * is still the stored one (not after a sign-out or another sign-in meanwhile); one at a time.
   * Resolves to whether a token came.
   */
  const renewFrom = useCallback(
    async (current: string): Promise<boolean> => {
      const renew = auth.renew?.bind(auth);
      if (!renew) return false;
      lastRenewal.current = Date.now();
      renewal.current ??= renew(current).finally(() => {
        renewal.current = null;
      });
      const next = await renewal.current.catch(() => null);
      if (!next || tokenStore.read() !== current || !sessionWithHint(next, tokenStore.readClientId())) return false;
      received.current = { token: next, at: Date.now() };
      tokenStore.write(next);
      setToken(next);
      setEnded(null);
      return true;
    },
    [auth],
  );

  const api = useMemo(
    () =>
      createApi({
        baseUrl: config.apiUrl,
        token: () => tokenStore.read(),
        // The API refused the stored token (expired, revoked, badly signed). A provider that can
        // renew it tries once (not again within a minute) and the call is sent again with the new
        // token; else the token is forgotten — signed out — so that the next calls go as a
        // visitor's (public reads work) instead of failing with it again, and the page says the
        // session has ended.
        onUnauthenticated: async (sent) => {
          // a token stored since (renewed here, by the timer or by another refused call)
          const successor = () => successorOf(sent, tokenStore.read());
          if (tokenStore.read() !== sent) return successor();
          const was = sessionWithHint(sent, tokenStore.readClientId());
          const path = location.pathname;
          // a renewal under way (the timer's, another refused call's) is waited for, not doubled
          const mayRenew = renewal.current !== null || Date.now() - lastRenewal.current > 60_000;
          if (mayRenew) await renewFrom(sent);
          if (tokenStore.read() !== sent) return successor();
          tokenStore.clear();
          forgetClients();
          setToken(null);
          setEnded({ session: was, path });
          void auth.signOut().catch(() => undefined);
          return null;
        },
      }),
    [config.apiUrl, auth, renewFrom],
  );

  const signedIn = useCallback((next: string, clientId?: string) => {
    const s = sessionWithHint(next, clientId ?? null);
    // a Cognito user outside every group (cognito:groups) has no role here
    if (!s) throw new AuthError('NoRole', 'This account is not set up for Kapstone yet. Please contact your clinic.');
    forgetClients();
    tokenStore.write(next);
    tokenStore.writeClientId(s.clientId && !sessionWithHint(next, null)?.clientId ? s.clientId : undefined);
    received.current = { token: next, at: Date.now() };
    setToken(next);
    setEnded(null);
    return s;
  }, []);

  // Silent renewal: a provider that can (Cognito) gets a new token a few minutes before this one
  // expires, so a person is not sent to sign in again every hour. A token received in this page
  // is timed by its own lifetime (exp − iat), not by the browser's clock, which may be wrong by
  // more than the margin (a renewed token would look due at once, again and again); one read from
  // storage at start is timed by the clock (at once when already expired). Never more than one
  // renewal a minute. If renewal fails, the token runs out: the API's 401 signs the person out.
  useEffect(() => {
    const life = token ? tokenLifetime(token) : null;
    if (!auth.renew || !token || !life) return;
    const now = Date.now();
    const due =
      received.current.token === token
        ? received.current.at + (life.expiresAt - life.issuedAt) - RENEW_BEFORE_MS
        : life.expiresAt - RENEW_BEFORE_MS;
    const timer = setTimeout(() => void renewFrom(token), Math.max(0, due - now, lastRenewal.current + 60_000 - now));
    return () => clearTimeout(timer);
  }, [auth, token, renewFrom]);

  const signOut = useCallback(async () => {
    tokenStore.clear();
    forgetClients();
    // the kind of session being booked is the person's too (a session that ended keeps it, to come back to)
    storeBookService(undefined);
    setToken(null);
    setEnded(null);
    await auth.signOut();
  }, [auth]);

  const value = useMemo(
    () => ({ api, config, auth, session, signedIn, signOut, ended }),
    [api, config, auth, session, signedIn, signOut, ended],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}
