import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '#infra/local/openapi.ts';
import { ROUTES, routeKey, successStatus } from '#http/routes.ts';
import { BINARY_RESPONSES, RESPONSES } from '#http/schemas/responses.ts';

describe('the generated OpenAPI document', () => {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, any>> };

  it('describes every deployed route with its auth and who may call it', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      // public routes take an optional token; Stripe's webhook takes none (its signature instead)
      const security = route.auth === 'jwt' ? [{ jwt: [] }] : route.allow.includes('public') ? [{}, { jwt: [] }] : [];
      expect(op.security).toEqual(security);
      expect(op['x-allow']).toEqual(route.allow);
      if (route.body) expect(op.requestBody, `${route.method} ${route.path}`).toBeDefined();
    }
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/v1/dev'))).toBe(false);
  });

  it('has a response schema for every route, and none for a route that does not exist', () => {
    const keys = ROUTES.map(routeKey);
    const withoutSchema = keys.filter((k) => !Object.hasOwn(RESPONSES, k));
    const ofNoRoute = Object.keys(RESPONSES).filter((k) => !keys.includes(k));
    expect({ withoutSchema, ofNoRoute }).toEqual({ withoutSchema: [], ofNoRoute: [] });
  });

  it('describes every route’s success answer with a schema, under 202 for a job started, 201 for creates and 200 otherwise', () => {
    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      expect(RESPONSES[key], key).toBeDefined();
      const responses = doc.paths[route.path]![route.method.toLowerCase()].responses;
      const success = String(successStatus(route));
      expect(
        Object.keys(responses).filter((s) => /^2/.test(s)),
        key,
      ).toEqual([success]);
      const binary = BINARY_RESPONSES[key];
      if (binary) {
        // bytes, not JSON: described as a binary string of its media type, and nothing else
        expect(Object.keys(responses[success].content), key).toEqual([binary]);
        expect(responses[success].content[binary].schema, key).toMatchObject({ type: 'string', format: 'binary' });
        expect(responses.default.content['application/json'].schema.properties.error, key).toBeDefined();
        continue;
      }
      const schema = responses[success].content?.['application/json']?.schema;
      expect(schema, key).toBeDefined();
      expect(['object', 'array'], key).toContain(schema.type);
      // every object of a response is closed: a field the views add without the schema is a failure
      const open: string[] = [];
      const walk = (node: unknown, at: string): void => {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
        if (!node || typeof node !== 'object') return;
        const n = node as Record<string, unknown>;
        if (n.type === 'object' && n.additionalProperties !== false) open.push(at);
        for (const [k, v] of Object.entries(n)) walk(v, `${at}.${k}`);
      };
      walk(schema, '$');
      expect(open, key).toEqual([]);
      expect(responses.default.content['application/json'].schema.properties.error, key).toBeDefined();
    }
  });

  it('names the errors the route’s auth and rate limit imply', () => {
    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      const statuses = Object.keys(doc.paths[route.path]![route.method.toLowerCase()].responses);
      // closed routes need a token (401) the route grants (403); a public one's optional token may be invalid (401)
      expect(statuses.includes('401'), key).toBe(route.auth === 'jwt' || route.allow.includes('public'));
      expect(statuses.includes('403'), key).toBe(route.auth === 'jwt');
      expect(statuses.includes('429'), key).toBe(route.rateLimit !== undefined);
    }
    const book = doc.paths['/v1/appointments']!.post.responses;
    expect(book['429'].headers['Retry-After']).toBeDefined();
    expect(book['429'].content['application/json'].schema.properties.error).toBeDefined();
  });

  it('takes response bodies from the zod schemas (output side), strict, nullable and optional fields as the views write them', () => {
    const appointment = doc.paths['/v1/appointments/{appointmentId}']!.get.responses['200'].content['application/json'].schema;
    expect(appointment.additionalProperties).toBe(false);
    expect(appointment.required).toEqual(
      expect.arrayContaining(['id', 'status', 'startsAt', 'endsAt', 'roomId', 'packageId', 'explorationId']),
    );
    expect(appointment.required).not.toContain('late');
    expect(appointment.required).not.toContain('cancelledAt');
    expect(appointment.properties.startsAt.format).toBe('date-time');
    const list = doc.paths['/v1/clients/{clientId}/appointments']!.get.responses['200'].content['application/json'].schema;
    expect(list.type).toBe('array');
    const purchase = doc.paths['/v1/packages']!.post.responses['201'].content['application/json'].schema;
    expect(purchase.required).toEqual(expect.arrayContaining(['package', 'checkoutUrl', 'checkoutSessionId']));
    expect(purchase.properties.package.properties.price.properties.amount.type).toBe('integer');
    const client = doc.paths['/v1/clients/{clientId}']!.get.responses['200'].content['application/json'].schema;
    expect(client.properties.status.properties.clearance.required).toEqual(['status', 'validUntil']);
  });

  it('describes the receipt as a PDF, its errors as JSON', () => {
    const receipt = doc.paths['/v1/invoices/{invoiceId}/receipt.pdf']!.get.responses;
    expect(receipt['200'].content).toEqual({
      'application/pdf': { schema: { type: 'string', format: 'binary', contentMediaType: 'application/pdf' } },
    });
    expect(receipt.default.content['application/json']).toBeDefined();
    expect(Object.keys(BINARY_RESPONSES).every((k) => Object.hasOwn(RESPONSES, k))).toBe(true);
  });

  it('describes the superbill as JSON, or as a PDF by the Accept header', () => {
    const superbill = doc.paths['/v1/clients/{clientId}/superbill']!.get.responses['200'].content;
    expect(Object.keys(superbill)).toEqual(['application/json', 'application/pdf']);
    expect(superbill['application/json'].schema.properties.kind.enum).toEqual(['superbill', 'receipt']);
    expect(superbill['application/pdf'].schema).toMatchObject({ type: 'string', format: 'binary' });
  });

  it('takes request bodies from the zod schemas, unknown fields refused', () => {
    const book = doc.paths['/v1/appointments']!.post.requestBody.content['application/json'].schema;
    expect(book.required).toEqual(expect.arrayContaining(['clientId', 'clinicId', 'service', 'providerId', 'startsAt', 'mode']));
    expect(book.additionalProperties).toBe(false);
    expect(book.properties.service.enum).toContain('exploration');
    const availability = doc.paths['/v1/clinics/{clinicId}/availability']!.get.parameters.map((p: { name: string }) => p.name);
    expect(availability).toEqual(expect.arrayContaining(['clinicId', 'service', 'from', 'to', 'providerId', 'mode']));
    const invoices = doc.paths['/v1/invoices']!.get.parameters as Array<{ name: string; required?: boolean; schema: any }>;
    expect(invoices.map((p) => [p.name, p.required ?? false])).toEqual(
      expect.arrayContaining([
        ['clinicId', true],
        ['from', true],
        ['to', true],
        ['status', false],
        ['cursor', false],
      ]),
    );
    expect(invoices.find((p) => p.name === 'status')!.schema.enum).toEqual(['open', 'partially_paid', 'paid', 'void', 'refunded']);
  });

  it('describes the invoice: money signed where it may be negative, times with an offset, optional links', () => {
    const invoice = doc.paths['/v1/invoices/{invoiceId}']!.get.responses['200'].content['application/json'].schema;
    expect(invoice.additionalProperties).toBe(false);
    expect(invoice.required).toEqual(
      expect.arrayContaining([
        'id',
        'number',
        'status',
        'issuedAt',
        'lines',
        'total',
        'paid',
        'refunded',
        'balance',
        'payments',
        'refunds',
      ]),
    );
    expect(invoice.required).not.toContain('appointmentId');
    expect(invoice.required).not.toContain('packageId');
    expect(invoice.properties.issuedAt.format).toBe('date-time');
    expect(invoice.properties.balance.properties.amount.minimum).toBeLessThan(0);
    expect(invoice.properties.paid.properties.amount.minimum).toBe(0);
    const page = doc.paths['/v1/invoices']!.get.responses['200'].content['application/json'].schema;
    expect(page.required).toEqual(['items', 'nextCursor']);
    const list = doc.paths['/v1/clients/{clientId}/invoices']!.get.responses['200'].content['application/json'].schema;
    expect(list.type).toBe('array');
  });
});
