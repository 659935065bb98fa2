// web/src/api/openapi.d.ts types the web app's API calls; it is generated (scripts/web-types.ts)
// from the OpenAPI document, itself generated from the route table and its zod schemas. The
// committed file must be exactly what the generator gives now, so a schema change reaches the
// app's type check (`tsc -p web`) instead of a user. Fix a failure with: npm run web:types
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '#http/routes.ts';
import { WEB_TYPES_PATH, renderWebTypes } from '../../scripts/web-types.ts';

describe('web/src/api/openapi.d.ts', () => {
  it('is what `npm run web:types` generates from the current routes and schemas', async () => {
    expect(readFileSync(WEB_TYPES_PATH, 'utf8')).toBe(await renderWebTypes());
  });

  it('names every deployed route', () => {
    const text = readFileSync(WEB_TYPES_PATH, 'utf8');
    for (const route of ROUTES) expect(text, `${route.method} ${route.path}`).toContain(`"${route.method} ${route.path}"`);
  });
});
