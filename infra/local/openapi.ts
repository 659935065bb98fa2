// The OpenAPI document, generated from the route table and the zod request schemas (never
// written by hand). `npm run openapi` prints it; the local server serves it at /v1/openapi.json.
import { z } from 'zod';
import { ROUTES, routeKey } from '#http/routes.ts';
import { REQUEST_SCHEMAS } from '#http/schemas/scheduling.ts';
import { fileURLToPath } from 'node:url';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

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

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const schemas = REQUEST_SCHEMAS[routeKey(route)] ?? {};
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (schemas.query) {
      const q = jsonSchema(schemas.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        params.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema: schema as { type: string } });
      }
    }
    const op: Record<string, unknown> = {
      operationId: routeKey(route),
      ...(route.auth === 'jwt' ? { security: [{ jwt: [] }] } : { security: [] }),
      parameters: params,
      responses: {
        '2XX': { description: 'Success' },
        default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
    if (schemas.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(schemas.body) } } };
      op.parameters = [
        ...params,
        ...(route.method === 'POST'
          ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }]
          : []),
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
