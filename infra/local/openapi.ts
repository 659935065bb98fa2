// The OpenAPI document, generated from the route table, its zod request schemas and the response
// schemas of shared/http/schemas/responses.ts (never written by hand). `npm run openapi` prints
// it; the local server serves it at /v1/openapi.json.
import { z } from 'zod/mini';
import { ROUTES, routeKey, successStatus, type RouteDef } from '#http/routes.ts';
import { BINARY_RESPONSES, NEGOTIATED_RESPONSES, RESPONSES } from '#http/schemas/responses.ts';
import { fileURLToPath } from 'node:url';

const jsonSchema = (schema: z.core.$ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
/** What a handler answers with: the schema's output side (shared/http/schemas/responses.ts). */
const responseJsonSchema = (schema: z.core.$ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        rule: { type: 'string' },
        correlationId: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: errorSchema } },
});

const bytesOf = (type: string) => ({ schema: { type: 'string', format: 'binary', contentMediaType: type } });

/**
 * The success answer's content: JSON with its schema, or the bytes of a binary answer (a PDF), or
 * both for a route that answers either by the request's Accept header (NEGOTIATED_RESPONSES).
 */
function contentOf(key: string): Record<string, unknown> | undefined {
  const binary = BINARY_RESPONSES[key];
  if (binary) return { [binary]: bytesOf(binary) };
  const response = RESPONSES[key];
  if (!response) return undefined;
  const negotiated = NEGOTIATED_RESPONSES[key];
  return { 'application/json': { schema: responseJsonSchema(response) }, ...(negotiated ? { [negotiated]: bytesOf(negotiated) } : {}) };
}

/**
 * The success answer (successStatus: 202 for a job started, 201 for a create, else 200) with its
 * body schema, and the errors the router answers before any handler runs: 401 for a missing (closed routes) or invalid (public routes
 * take an optional one) bearer token, 403 when no grant of the route could apply, 429 over the
 * route's per-caller rate limit. Every other error (400, 404, 409, 422, 5xx) is `default`.
 */
function responsesOf(route: RouteDef): Record<string, unknown> {
  const status = successStatus(route);
  const success = String(status);
  const content = contentOf(routeKey(route));
  return {
    [success]: {
      description: status === 202 ? 'Accepted: the work goes on after the answer' : status === 201 ? 'Created' : 'Success',
      ...(content ? { content } : {}),
    },
    ...(route.auth === 'jwt'
      ? { '401': errorResponse('A valid bearer token is required (unauthenticated)') }
      : route.allow.includes('public')
        ? { '401': errorResponse('The optional bearer token is not valid (unauthenticated)') }
        : {}),
    ...(route.auth === 'jwt'
      ? { '403': errorResponse('The caller holds no role this route grants, or the record is not its own (forbidden)') }
      : {}),
    ...(route.rateLimit
      ? {
          '429': errorResponse(`Over the per-caller '${route.rateLimit}' limit (rate_limited)`, {
            'Retry-After': { description: 'Seconds until the limit allows another call', schema: { type: 'integer' } },
          }),
        }
      : {}),
    default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
  };
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const schemas = { body: route.body, query: route.query };
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (schemas.query) {
      const q = jsonSchema(schemas.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        params.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema: schema as { type: string } });
      }
    }
    const op: Record<string, unknown> = {
      operationId: routeKey(route),
      // a public route takes an optional token (staff see more availability); a closed one needs it
      security: route.auth === 'jwt' ? [{ jwt: [] }] : route.allow.includes('public') ? [{}, { jwt: [] }] : [],
      'x-allow': route.allow,
      ...(route.rateLimit ? { 'x-rate-limit': route.rateLimit } : {}),
      parameters: params,
      responses: responsesOf(route),
    };
    if (schemas.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(schemas.body) } } };
      op.parameters = [
        ...params,
        ...(route.create ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }] : []),
      ];
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Kapstone API', version: '1' },
    components: { securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(buildOpenApi(), null, 2)}\n`);
}
