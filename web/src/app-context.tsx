// The app's shared state: the session (from the stored token), the API client bound to it and
// the sign-in provider. Pages read it with useApp().
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createApi, type Api } from './api/client.ts';
import type { AuthProvider } from './auth/provider.ts';
import { sessionOf, tokenStore, type Session } from './auth/session.ts';
import { forgetClients } from './lib/client-data.ts';
import { SAME_ORIGIN, type RuntimeConfig } from './config.ts';

interface AppState {
  api: Api;
  /** /config.json as read at start (config.ts). */
  config: RuntimeConfig;
  auth: AuthProvider;
  session: Session | null;
  /** Keeps the token (sessionStorage) and re-renders as the new person. */
  signedIn: (token: string) => Session;
  signOut: () => Promise<void>;
  /** Set when a call answered 401: the page says so and offers to sign in again. */
  expired: boolean;
}

const AppContext = createContext<AppState | null>(null);

export function AppProvider({ auth, config = SAME_ORIGIN, children }: { auth: AuthProvider; config?: RuntimeConfig; children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => tokenStore.read());
  const [expired, setExpired] = useState(false);
  const session = useMemo(() => (token ? sessionOf(token) : null), [token]);

  const api = useMemo(
    () =>
      createApi({
        baseUrl: config.apiUrl,
        token: () => tokenStore.read(),
        onUnauthenticated: () => {
          if (tokenStore.read()) setExpired(true);
        },
      }),
    [config.apiUrl],
  );

  const signedIn = useCallback((next: string) => {
    const s = sessionOf(next);
    if (!s) throw new Error('The sign-in gave an unusable token');
    forgetClients();
    tokenStore.write(next);
    setToken(next);
    setExpired(false);
    return s;
  }, []);

  const signOut = useCallback(async () => {
    tokenStore.clear();
    forgetClients();
    setToken(null);
    setExpired(false);
    await auth.signOut();
  }, [auth]);

  const value = useMemo(
    () => ({ api, config, auth, session, signedIn, signOut, expired }),
    [api, config, auth, session, signedIn, signOut, expired],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}
