// The stub's HTTP side: reads and records each request, checks the API key, applies injected
// failures (to any request, replays included), honours Idempotency-Key as Stripe does (the same
// key with the same request replays the first answer, with other parameters it is a 400
// idempotency_error), and dispatches to the endpoint. Answers carry Stripe's headers (Request-Id,
// Stripe-Version).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STRIPE_API_VERSION } from '#adapters/stripe-gateway.ts';
import type { RecordedRequest, StripeErrorBody } from './types.ts';
import type { FailureQueue } from './failures.ts';
import type { Route } from './routes.ts';
import { decodeForm } from './form.ts';
import { ApiFailure } from './params.ts';
import { clone, randomId } from './util.ts';

const MAX_BODY_BYTES = 1024 * 1024;

interface Saved {
  fingerprint: string;
  status: number;
  body: unknown;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface StubHttpDeps {
  routes: Route[];
  failures: FailureQueue;
  /** Every request received, in order (appended to). */
  requests: RecordedRequest[];
}

export function answer(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': randomId('req', 14),
    'stripe-version': STRIPE_API_VERSION,
    ...extra,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiFailure(413, { type: 'invalid_request_error', message: 'Request too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request as recorded: method, path, lower-cased headers, decoded body and query. */
async function recordOf(req: IncomingMessage): Promise<RecordedRequest> {
  const method = (req.method ?? 'GET').toUpperCase();
  const target = new URL(req.url ?? '/', 'http://stub.invalid');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  const rawBody = await readBody(req);
  const body = method === 'GET' ? {} : decodeForm(rawBody);
  return { method, path: target.pathname, query: decodeForm(target.search.slice(1)), headers, body, rawBody };
}

const error = (status: number, err: StripeErrorBody): Answer => ({ status, body: { error: err } });

function dispatch(routes: Route[], r: RecordedRequest): Answer {
  const route = routes.find((x) => x.method === r.method && x.pattern.test(r.path));
  if (!route) {
    return error(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${r.method}: ${r.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }
  try {
    const params = route.pattern.exec(r.path)!.slice(1);
    return { status: 200, body: clone(route.handle(params, r.body, r.query)) };
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err;
    return error(err.status, err.error);
  }
}

/** The request handler of one stub: `saved` holds its idempotent answers by key. */
export function stubHttpHandler(deps: StubHttpDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const saved = new Map<string, Saved>();

  return async (req, res) => {
    let r: RecordedRequest;
    try {
      r = await recordOf(req);
    } catch (err) {
      if (err instanceof ApiFailure) return answer(res, err.status, { error: err.error });
      throw err;
    }
    deps.requests.push(r);
    if (!/^Bearer (sk|rk)_(test|live)_\S+$/.test(r.headers.authorization ?? '')) {
      return answer(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided. You did not provide a valid secret key.' },
      });
    }
    const injected = deps.failures.take(r.method, r.path);
    if (injected?.drop === 'before') return void res.socket?.destroy();
    if (injected && injected.drop === undefined) {
      // Not saved under the idempotency key, so the SDK's retry gets a fresh answer.
      return answer(res, injected.status, { error: injected.error }, injected.status >= 500 ? {} : { 'stripe-should-retry': 'false' });
    }
    const key = r.method === 'POST' ? r.headers['idempotency-key'] : undefined;
    const out = key
      ? idempotently(saved, key, `${r.method} ${r.path} ${r.rawBody}`, () => dispatch(deps.routes, r))
      : dispatch(deps.routes, r);
    if (injected?.drop === 'after') return void res.socket?.destroy();
    return answer(res, out.status, out.body, out.headers);
  };
}

/**
 * Stripe's Idempotency-Key: the first answer of a key is saved once the endpoint ran (parameter
 * errors are not saved) and replayed to the same request; another request under the key is a 400.
 */
function idempotently(saved: Map<string, Saved>, key: string, fingerprint: string, run: () => Answer): Answer {
  const seen = saved.get(key);
  if (seen && seen.fingerprint !== fingerprint) {
    return error(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    });
  }
  if (seen) return { status: seen.status, body: seen.body, headers: { 'idempotency-key': key, 'idempotent-replayed': 'true' } };
  const out = run();
  if (out.status === 200) saved.set(key, { fingerprint, status: out.status, body: out.body });
  return { ...out, headers: { 'idempotency-key': key } };
}
