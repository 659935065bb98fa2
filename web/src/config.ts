// The app's runtime configuration: `/config.json`, next to index.html. On AWS the stack writes it
// at deploy time (infra/lib/web.ts: the API's URL, the Cognito user pool and app client, the
// region), so one build of the app runs in every stage; locally `npm start` serves it
// (infra/local/web-static.ts). Without one (a missing or unreadable file) the app talks to the API
// on its own origin and signs in with the local provider.

export interface RuntimeConfig {
  /** Base URL of the API; '' is the app's own origin (CloudFront forwards /v1/* to the API). */
  apiUrl: string;
  /** AWS region of the user pool; null locally. */
  region: string | null;
  userPoolId: string | null;
  userPoolClientId: string | null;
}

export const SAME_ORIGIN: RuntimeConfig = { apiUrl: '', region: null, userPoolId: null, userPoolClientId: null };

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The fields of a parsed config.json that are usable; anything else falls back to same-origin. */
export function parseConfig(raw: unknown): RuntimeConfig {
  if (typeof raw !== 'object' || raw === null) return SAME_ORIGIN;
  const r = raw as Record<string, unknown>;
  const apiUrl = text(r.apiUrl);
  // only an https URL (or http on localhost) may receive the bearer token
  const usable = apiUrl !== null && /^(https:\/\/|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$))/.test(apiUrl);
  return {
    apiUrl: usable ? apiUrl.replace(/\/+$/, '') : '',
    region: text(r.region),
    userPoolId: text(r.userPoolId),
    userPoolClientId: text(r.userPoolClientId),
  };
}

/** Reads /config.json once at start; never throws (the app still starts on its own origin). */
export async function loadConfig(): Promise<RuntimeConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!res.ok) return SAME_ORIGIN;
    return parseConfig(await res.json());
  } catch {
    return SAME_ORIGIN;
  }
}
