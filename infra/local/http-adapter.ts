// Pure translation between a plain HTTP request and what API Gateway (HTTP API, payload format
// 2.0) hands a Lambda function, and back from the function's result to an HTTP response. The
// local server uses it so that the deployed handlers run unchanged; nothing here does I/O.
//
// Behaviour mirrored from HTTP APIs:
// - the path is percent-decoded once before routing, so an encoded slash (%2F) splits segments
//   and cannot end up inside a path parameter; pathParameters carry decoded values;
// - duplicate query keys and duplicate headers are joined with commas; header names are
//   lower-cased; the Cookie header moves to `cookies` and is not repeated in `headers`;
// - absent query, path parameters and cookies are left out (undefined), not empty objects;
// - claims from the JWT authorizer arrive as strings, an array claim as "[a b]".
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ApiEvent } from '#http/api.ts';

/** Anything routable: a method and a path template in API Gateway syntax (`/a/{id}`, `/b/{rest+}`). */
export interface PathRoute {
  method: string;
  path: string;
}

export interface RouteMatch<R extends PathRoute> {
  route: R;
  /** Decoded values by parameter name; undefined when the template has no parameters. */
  pathParameters: Record<string, string> | undefined;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

function compile(template: string): Segment[] {
  return splitSegments(template).map((part): Segment => {
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
    const param = /^\{(.+)\}$/.exec(part);
    if (param?.[1]) return { kind: 'param', name: param[1] };
    return { kind: 'literal', text: part };
  });
}

/** `/a/b/` and `/a/b` give the same segments: a trailing slash is tolerated. */
function splitSegments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

/** decodeURIComponent that answers undefined for a malformed escape instead of throwing. */
function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function matchSegments(template: Segment[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const seg = template[i]!;
    if (seg.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return null;
      params[seg.name] = rest.join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === 'literal') {
      if (seg.text !== part) return null;
    } else {
      if (part === '') return null;
      params[seg.name] = part;
    }
  }
  return parts.length === template.length ? params : null;
}

/** Lower is more specific: literals beat parameters, parameters beat a greedy tail (API Gateway's order). */
function specificity(template: Segment[]): number[] {
  return template.map((s) => (s.kind === 'literal' ? 0 : s.kind === 'param' ? 1 : 2));
}

function moreSpecific(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * The route for `method` and `rawPath` (the path as sent, without the query string), or null.
 * A path that matches only under another method is also null: API Gateway answers 404 there too.
 */
export function matchRoute<R extends PathRoute>(routes: readonly R[], method: string, rawPath: string): RouteMatch<R> | null {
  const decoded = safeDecode(rawPath);
  if (decoded === undefined || !decoded.startsWith('/')) return null;
  const parts = splitSegments(decoded);
  let best: { match: RouteMatch<R>; rank: number[] } | null = null;
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const template = compile(route.path);
    const params = matchSegments(template, parts);
    if (!params) continue;
    const rank = specificity(template);
    if (!best || moreSpecific(rank, best.rank)) {
      best = { match: { route, pathParameters: Object.keys(params).length > 0 ? params : undefined }, rank };
    }
  }
  return best?.match ?? null;
}

/** Splits a request target (`/path?query`) into the raw path and the raw query string. */
export function splitTarget(target: string): { rawPath: string; rawQueryString: string } {
  const noFragment = target.split('#', 1)[0] ?? '';
  const q = noFragment.indexOf('?');
  return q === -1
    ? { rawPath: noFragment, rawQueryString: '' }
    : { rawPath: noFragment.slice(0, q), rawQueryString: noFragment.slice(q + 1) };
}

/** Decoded query parameters, repeated keys joined with commas; undefined when there are none. */
export function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  // A Map, then own properties: `__proto__` or `constructor` stay ordinary keys (and are refused
  // as unknown fields), as they are in the JSON event Lambda receives on AWS.
  const joined = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const before = joined.get(key);
    joined.set(key, before === undefined ? value : `${before},${value}`);
  }
  return joined.size > 0 ? Object.fromEntries(joined) : undefined;
}

/**
 * Headers from Node's flat `rawHeaders` list ([name, value, name, value, …]): names lower-cased,
 * repeated headers joined with commas. Cookies are returned apart, one entry per cookie.
 */
export function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] | undefined } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie') {
      for (const c of value.split(';')) if (c.trim() !== '') cookies.push(c.trim());
      continue;
    }
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies: cookies.length > 0 ? cookies : undefined };
}

/**
 * Claims as API Gateway's JWT authorizer passes them on: every value a string; an array becomes
 * its elements between brackets separated by spaces (`["a","b"]` → "[a b]").
 */
export function renderClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) out[name] = `[${value.map(String).join(' ')}]`;
    else if (value !== null && typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = typeof value === 'string' ? value : JSON.stringify(value); // numbers and booleans as their text
  }
  return out;
}

const TEXT_CONTENT_TYPE = /^\s*(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b|[^;]*\+(json|xml)\b)/i;

/** The body as API Gateway passes it: text for textual content types, else base64. */
function encodeBody(body: Buffer | undefined, contentType: string | undefined): { body?: string; isBase64Encoded: boolean } {
  if (!body || body.length === 0) return { isBase64Encoded: false };
  if (contentType === undefined || TEXT_CONTENT_TYPE.test(contentType)) {
    try {
      return { body: new TextDecoder('utf-8', { fatal: true }).decode(body), isBase64Encoded: false };
    } catch {
      // not valid UTF-8 despite the declared type: pass the bytes on untouched
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestContext.time` format: 12/Mar/2020:19:03:58 +0000 (UTC). */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface HttpRequestLike {
  method: string;
  /** The request target as on the request line: path plus optional `?query`. */
  url: string;
  /** Node's `req.rawHeaders`. */
  rawHeaders: readonly string[];
  body?: Buffer | undefined;
  sourceIp?: string | undefined;
  /** e.g. `HTTP/1.1` */
  protocol?: string | undefined;
}

export interface BuildEventOptions {
  match: RouteMatch<PathRoute>;
  /** Verified token claims for routes behind the JWT authorizer; omitted for public routes. */
  claims?: Record<string, unknown> | undefined;
  requestId?: string | undefined;
  /** Epoch ms of arrival. */
  now?: number | undefined;
}

export function buildEvent(req: HttpRequestLike, opts: BuildEventOptions): ApiEvent {
  const { rawPath, rawQueryString } = splitTarget(req.url);
  const { headers, cookies } = collectHeaders(req.rawHeaders);
  const now = opts.now ?? Date.now();
  const sourceIp = req.sourceIp ?? '127.0.0.1';
  const host = headers.host ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  // API Gateway adds these for the integration; handlers that read them see the same locally.
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  // HTTP APIs hand over the path already decoded.
  const path = safeDecode(rawPath) ?? rawPath;
  const query = parseQuery(rawQueryString);
  const route = opts.match.route;
  const routeKey = `${route.method} ${route.path}`;

  const event: ApiEvent = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: req.method.toUpperCase(),
        path,
        protocol: req.protocol ?? 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: opts.requestId ?? randomUUID(),
      routeKey,
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now,
      ...(opts.claims ? { authorizer: { jwt: { claims: renderClaims(opts.claims), scopes: null } } } : {}),
    },
    ...(opts.match.pathParameters ? { pathParameters: { ...opts.match.pathParameters } } : {}),
    ...encodeBody(req.body, headers['content-type']),
  };
  return event;
}

export interface HttpResponseParts {
  statusCode: number;
  headers: Record<string, string>;
  /** One Set-Cookie header each. */
  cookies: string[];
  body: Buffer;
}

/**
 * A function's result as API Gateway turns it into a response: a structured result (with
 * `statusCode`) is used as is; any other value is a 200 JSON response (a string verbatim,
 * anything else serialised). A malformed result throws; the caller answers 500, as API Gateway does.
 */
export function toHttpResponse(result: APIGatewayProxyResultV2<unknown>): HttpResponseParts {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as { statusCode: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
    if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
      throw new Error('Lambda result has an invalid statusCode');
    }
    const headers: Record<string, string> = {};
    if (r.headers !== undefined && r.headers !== null) {
      if (typeof r.headers !== 'object') throw new Error('Lambda result headers must be an object');
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
    const cookies = Array.isArray(r.cookies) ? r.cookies.map(String) : [];
    if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') throw new Error('Lambda result body must be a string');
    const text = typeof r.body === 'string' ? r.body : '';
    const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    return { statusCode: r.statusCode, headers, cookies, body };
  }
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(text, 'utf8') };
}
