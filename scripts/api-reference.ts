// Builds docs/api-reference.md from the OpenAPI document (infra/local/openapi.ts), which is itself
// generated from the route table (shared/http/routes.ts) and its zod schemas. Nothing here is
// written by hand per route, so the reference cannot drift from the code:
//
//   npx tsx scripts/api-reference.ts      rewrites docs/api-reference.md
//
// test/unit/api-reference.test.ts fails when the committed file differs from what this renders.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from '#infra/local/openapi.ts';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  format?: string;
  pattern?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  operationId: string;
  security?: Array<Record<string, unknown>>;
  'x-allow'?: string[];
  'x-rate-limit'?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

/** The repository's docs/api-reference.md. */
export const API_REFERENCE_PATH = resolve(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'api-reference.md');

/** Text for a Markdown table cell: pipes escaped, no line breaks. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

const code = (text: string): string => `\`${text}\``;

/** A short reading of a JSON schema's type: `string`, `one of: a, b`, `array of integer`, `object (x, y?)`. */
export function typeOf(s: JsonSchema | undefined): string {
  if (!s) return 'any';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of: ${s.enum.map((v) => String(v)).join(', ')}`;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(' or ');
  const type = Array.isArray(s.type) ? s.type.join(' or ') : s.type;
  if (type === 'array') return `array of ${typeOf(s.items)}`;
  if (type === 'object') {
    const required = new Set(s.required ?? []);
    const fields = Object.keys(s.properties ?? {}).map((k) => (required.has(k) ? k : `${k}?`));
    return fields.length > 0 ? `object (${fields.join(', ')})` : 'object';
  }
  if (type === undefined) return 'any';
  return s.format ? `${type} (${s.format})` : type;
}

/** Bounds, pattern and default of a schema, in words. */
export function constraintsOf(s: JsonSchema | undefined): string {
  if (!s) return '';
  const out: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) out.push(`${lo}–${hi}${unit}`);
    else if (lo !== undefined) out.push(`≥ ${lo}${unit}`);
    else if (hi !== undefined) out.push(`≤ ${hi}${unit}`);
  };
  range(s.minLength, s.maxLength, ' chars');
  range(s.minimum, s.maximum, '');
  range(s.minItems, s.maxItems, ' items');
  // a format (e-mail, …) says more than its long generated pattern
  if (s.pattern && !s.format) out.push(`pattern ${code(s.pattern)}`);
  if (s.default !== undefined) out.push(`default ${code(JSON.stringify(s.default))}`);
  return out.join('; ');
}

function authOf(op: Operation): string {
  const security = op.security ?? [];
  if (security.length === 0) return 'no bearer token: the request carries its own proof, e.g. a signature';
  if (security.some((r) => Object.keys(r).length === 0)) return 'bearer token optional';
  return 'bearer token required';
}

/** The success status and its JSON schema, or the media type of an answer that is not JSON (a PDF). */
function successOf(op: Operation): { status: string; description: string; schema: JsonSchema | undefined; binary: string | undefined } {
  const [status, res] = Object.entries(op.responses ?? {}).find(([s]) => /^2\d\d$/.test(s)) ?? ['?', undefined];
  const binary = Object.keys(res?.content ?? {}).find((type) => type !== 'application/json');
  return { status, description: res?.description ?? '', schema: res?.content?.['application/json']?.schema, binary };
}

function bodyOf(op: Operation): JsonSchema | undefined {
  return op.requestBody?.content?.['application/json']?.schema;
}

function fieldTable(props: Record<string, JsonSchema>, required: readonly string[]): string[] {
  const lines = ['| field | type | required | constraints |', '|---|---|---|---|'];
  for (const [name, schema] of Object.entries(props)) {
    lines.push(`| ${code(name)} | ${cell(typeOf(schema))} | ${required.includes(name) ? 'yes' : 'no'} | ${cell(constraintsOf(schema))} |`);
  }
  return lines;
}

function section(method: string, path: string, op: Operation): string[] {
  const allow = op['x-allow'] ?? [];
  const rate = op['x-rate-limit'];
  const params = op.parameters ?? [];
  const idempotent = params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const body = bodyOf(op);
  const success = successOf(op);
  const refusals = Object.entries(op.responses ?? {}).filter(([s]) => /^[45]\d\d$/.test(s));

  const lines = [`## ${method.toUpperCase()} ${path}`, ''];
  lines.push(`- Who may call: ${allow.map(code).join(', ') || '—'} (${authOf(op)})`);
  lines.push(`- Rate limit: ${rate ? `${code(rate)} (per caller)` : 'none'}`);
  lines.push(`- Idempotency-Key: ${idempotent ? 'accepted (optional header)' : 'not used'}`);
  if (pathParams.length > 0) lines.push(`- Path parameters: ${pathParams.map((p) => code(p.name)).join(', ')}`);
  const answer = success.schema
    ? ` — ${typeOf(success.schema)}${success.binary ? `; with \`Accept: ${success.binary}\`, the same as ${code(success.binary)} bytes` : ''}`
    : success.binary
      ? ` — ${code(success.binary)} bytes, not JSON`
      : '';
  lines.push(`- Success: ${success.status} ${success.description}${answer}`);
  for (const [status, res] of refusals) lines.push(`- ${status} before the handler runs: ${res.description ?? ''}`);
  lines.push('');

  if (queryParams.length > 0) {
    lines.push('Query parameters:', '', '| name | type | required | constraints |', '|---|---|---|---|');
    for (const p of queryParams) {
      lines.push(`| ${code(p.name)} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : 'no'} | ${cell(constraintsOf(p.schema))} |`);
    }
    lines.push('');
  } else {
    lines.push('Query parameters: none (any query parameter is a 400).', '');
  }

  if (!body) {
    lines.push(
      method.toLowerCase() === 'get' ? 'Request body: none.' : 'Request body: not parsed by the router (the handler reads the raw body).',
      '',
    );
  } else {
    const props = body.properties ?? {};
    if (Object.keys(props).length === 0) {
      lines.push('Request body: an empty JSON object `{}` (or no body at all); no fields.', '');
    } else {
      lines.push('Request body (JSON object; unknown fields are a 400):', '', ...fieldTable(props, body.required ?? []), '');
    }
  }
  return lines;
}

/** The whole reference as Markdown, in route-table order. */
export function renderApiReference(): string {
  const doc = buildOpenApi() as unknown as OpenApiDocument;
  const ops: Array<[string, string, Operation]> = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) ops.push([method, path, op]);
  }

  const lines = [
    '# API reference',
    '',
    '<!-- GENERATED by scripts/api-reference.ts from the OpenAPI document (infra/local/openapi.ts). Do not edit by hand: run `npx tsx scripts/api-reference.ts`. test/unit/api-reference.test.ts fails when this file is stale. -->',
    '',
    'Every deployed route, from the route table (`shared/http/routes.ts`) through the generated OpenAPI document. Conventions (times, money, errors, idempotency, rate limits, pagination) are in [api.md](api.md); who the grants are is in [security.md](security.md).',
    '',
    "Grants: `public` anyone; `stripe` Stripe's signed webhook deliveries; `self` a client on its own records; `signup` a signed-in client without a client record yet; `frontdesk`, `clinician`, `finance` staff of the record's clinic; `admin` everything.",
    '',
    `${ops.length} routes:`,
    '',
    '| method | path | who may call | rate limit | success |',
    '|---|---|---|---|---|',
  ];
  for (const [method, path, op] of ops) {
    lines.push(
      `| ${method.toUpperCase()} | ${code(path)} | ${(op['x-allow'] ?? []).join(', ')} | ${op['x-rate-limit'] ?? '—'} | ${successOf(op).status} |`,
    );
  }
  lines.push('');
  for (const [method, path, op] of ops) lines.push(...section(method, path, op));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

const invoked = process.argv[1] ? resolve(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) {
  writeFileSync(API_REFERENCE_PATH, renderApiReference());
  process.stdout.write(`wrote ${API_REFERENCE_PATH}\n`);
}
