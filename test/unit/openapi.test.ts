import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '#infra/local/openapi.ts';
import { ROUTES } from '#http/routes.ts';

describe('the generated OpenAPI document', () => {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, any>> };

  it('describes every deployed route with its auth', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.security).toEqual(route.auth === 'jwt' ? [{ jwt: [] }] : []);
    }
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/v1/dev'))).toBe(false);
  });

  it('takes request bodies from the zod schemas, unknown fields refused', () => {
    const book = doc.paths['/v1/appointments']!.post.requestBody.content['application/json'].schema;
    expect(book.required).toEqual(expect.arrayContaining(['clientId', 'clinicId', 'service', 'providerId', 'startsAt', 'mode']));
    expect(book.additionalProperties).toBe(false);
    expect(book.properties.service.enum).toContain('exploration');
    const availability = doc.paths['/v1/clinics/{clinicId}/availability']!.get.parameters.map((p: { name: string }) => p.name);
    expect(availability).toEqual(expect.arrayContaining(['clinicId', 'service', 'from', 'to', 'providerId', 'mode']));
  });
});
