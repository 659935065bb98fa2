// The app's shared state: the session (from the stored token), the API client bound to it and
// the sign-in provider. Pages read it with useApp().
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createApi, type Api } from './api/client.ts';
import { AuthError, type AuthProvider } from './auth/provider.ts';
import { sessionWithHint, tokenStore, type Session } from './auth/session.ts';
import { forgetClients } from './lib/client-data.ts';
import { SAME_ORIGIN, type RuntimeConfig } from './config.ts';

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
  /** Set when a call answered 401: the page says so and offers to sign in again. */
  expired: boolean;
}

const AppContext = createContext<AppState | null>(null);

export function AppProvider({ auth, config = SAME_ORIGIN, children }: { auth: AuthProvider; config?: RuntimeConfig; children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => tokenStore.read());
  const [expired, setExpired] = useState(false);
  const session = useMemo(() => (token ? sessionWithHint(token, tokenStore.readClientId()) : null), [token]);

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

  const signedIn = useCallback((next: string, clientId?: string) => {
    const s = sessionWithHint(next, clientId ?? null);
    // a Cognito user outside every group (cognito:groups) has no role here
    if (!s) throw new AuthError('NoRole', 'This account is not set up for Kapstone yet. Please contact your clinic.');
    forgetClients();
    tokenStore.write(next);
    tokenStore.writeClientId(s.clientId && !sessionWithHint(next, null)?.clientId ? s.clientId : undefined);
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
