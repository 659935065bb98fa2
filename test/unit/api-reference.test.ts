// docs/api-reference.md is generated (scripts/api-reference.ts) from the OpenAPI document, which is
// generated from the route table: the committed file must be exactly what the script renders now,
// so a route added or changed without regenerating the reference fails here.
// Fix a failure with: npx tsx scripts/api-reference.ts
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '#http/routes.ts';
import { API_REFERENCE_PATH, renderApiReference } from '../../scripts/api-reference.ts';

describe('docs/api-reference.md', () => {
  const rendered = renderApiReference();

  it('is what scripts/api-reference.ts generates from the current routes (run `npx tsx scripts/api-reference.ts`)', () => {
    const committed = readFileSync(API_REFERENCE_PATH, 'utf8');
    expect(committed).toBe(rendered);
  });

  it('has one section per deployed route and no other', () => {
    const headings = rendered.split('\n').filter((line) => line.startsWith('## '));
    expect(headings.sort()).toEqual(ROUTES.map((r) => `## ${r.method} ${r.path}`).sort());
  });

  it('says who may call each route and whether it takes an Idempotency-Key', () => {
    for (const route of ROUTES) {
      const start = rendered.indexOf(`## ${route.method} ${route.path}\n`);
      const end = rendered.indexOf('\n## ', start + 1);
      const text = rendered.slice(start, end === -1 ? undefined : end);
      expect(text, `${route.method} ${route.path}`).toContain(`Who may call: ${route.allow.map((g) => `\`${g}\``).join(', ')}`);
      expect(text, `${route.method} ${route.path}`).toContain(route.create ? 'Idempotency-Key: accepted' : 'Idempotency-Key: not used');
      expect(text, `${route.method} ${route.path}`).toContain(route.rateLimit ? `Rate limit: \`${route.rateLimit}\`` : 'Rate limit: none');
    }
  });
});
