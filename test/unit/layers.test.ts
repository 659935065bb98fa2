// The dependency rules of docs/architecture.md ("Layers") are ESLint's no-restricted-imports
// (eslint.config.js, LAYERS), run by `npm run lint`. This lints one import line as if it stood at
// the top of a real file of each layer, so a rule dropped or mistyped from the config fails here
// (a leading `#` in those gitignore-style patterns, for one, silently turns an entry into a comment).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT as REPO_ROOT } from '#infra/lib/bundling.ts';

// Only that rule, and without type information: it reads import lines, and a type-aware parse
// of each snippet would cost ~0.3 s.
const eslint = new ESLint({
  cwd: REPO_ROOT,
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

async function refused(file: string, importLine: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = [x];\n`, { filePath: `${REPO_ROOT}/${file}` });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

const value = (from: string) => `import { x } from '${from}';`;
const typeOnly = (from: string) => `import { type x } from '${from}';`;

// [file the line is linted as, import line, refused?]
const CASES: Array<[string, string, boolean]> = [
  // the domain and the policy are pure
  ['shared/domain/time.ts', value('#domain/types.ts'), false],
  ['shared/domain/time.ts', value('./types.ts'), false],
  ['shared/domain/phone.ts', value('libphonenumber-js/core'), false],
  ['shared/domain/time.ts', value('#db/keys.ts'), true],
  ['shared/domain/time.ts', value('#shared/db/keys.ts'), true],
  ['shared/domain/time.ts', value('../db/keys.ts'), true],
  ['shared/domain/time.ts', typeOnly('#services/context.ts'), true],
  ['shared/domain/time.ts', value('#http/api.ts'), true],
  ['shared/domain/time.ts', value('#adapters/clock.ts'), true],
  ['shared/domain/time.ts', value('@aws-sdk/lib-dynamodb'), true],
  ['shared/domain/time.ts', value('stripe'), true],
  ['shared/domain/time.ts', value('zod/mini'), true],
  ['shared/domain/time.ts', value('node:fs/promises'), true],
  ['shared/domain/time.ts', value('luxon'), true],
  ['shared/auth/policy.ts', value('#domain/types.ts'), false],
  ['shared/auth/policy.ts', value('#db/client-repo.ts'), true],
  // the router gets storage and adapters handed in
  ['shared/http/api.ts', value('#shared/auth/policy.ts'), false],
  ['shared/http/route-table/billing.ts', value('../route-def.ts'), false],
  ['shared/http/api.ts', typeOnly('#adapters/clock.ts'), false],
  ['shared/http/api.ts', typeOnly('#db/idempotency-repo.ts'), false],
  ['shared/http/api.ts', value('#db/idempotency-repo.ts'), true],
  ['shared/http/api.ts', value('#db/errors.ts'), true],
  ['shared/http/api.ts', value('#adapters/clock.ts'), true],
  ['shared/http/api.ts', value('#services/context.ts'), true],
  ['shared/http/route-table/billing.ts', value('../../services/context.ts'), true],
  ['shared/http/api.ts', value('@aws-sdk/client-dynamodb'), true],
  // services: no HTTP, AWS only through repositories and adapters
  ['shared/services/clinic-service.ts', value('#db/clinic-repo.ts'), false],
  ['shared/services/clinic-service.ts', value('#adapters/clock.ts'), false],
  ['shared/services/clinic-service.ts', value('#shared/auth/policy.ts'), false],
  ['shared/services/context.ts', typeOnly('@aws-sdk/lib-dynamodb'), false],
  ['shared/services/context.ts', value('@aws-sdk/lib-dynamodb'), true],
  ['shared/services/clinic-service.ts', value('@aws-sdk/client-sns'), true],
  ['shared/services/clinic-service.ts', value('#http/api.ts'), true],
  ['shared/services/clinic-service.ts', value('stripe'), true],
  ['shared/services/clinic-service.ts', value('zod/mini'), true],
  // storage knows nothing above it
  ['shared/db/clinic-repo.ts', value('@aws-sdk/lib-dynamodb'), false],
  ['shared/db/clinic-repo.ts', value('#domain/types.ts'), false],
  ['shared/db/clinic-repo.ts', value('#services/context.ts'), true],
  ['shared/db/clinic-repo.ts', value('#adapters/clock.ts'), true],
  ['shared/db/clinic-repo.ts', value('#http/api.ts'), true],
  // adapters: one vendor each
  ['shared/adapters/sns-sms.ts', value('@aws-sdk/client-sns'), false],
  ['shared/adapters/token-verifier.ts', typeOnly('#http/api.ts'), false],
  ['shared/adapters/token-verifier.ts', value('#http/api.ts'), true],
  ['shared/adapters/sns-sms.ts', value('#db/sms-repo.ts'), true],
  ['shared/adapters/sns-sms.ts', value('#services/context.ts'), true],
  // a function never imports another
  ['functions/billing/views.ts', value('#services/invoice-service.ts'), false],
  ['functions/billing/views.ts', value('./routes.ts'), false],
  ['functions/billing/views.ts', value('../scheduling/views.ts'), true],
  ['functions/billing/views.ts', value('#functions/scheduling/views.ts'), true],
  ['functions/billing/views.ts', value('#infra/local/seed.ts'), true],
  // nothing in shared/ reaches the CDK, the local runtime or the tests
  ['shared/services/clinic-service.ts', value('#infra/local/seed.ts'), true],
  ['shared/db/clinic-repo.ts', value('#test/helpers/db.ts'), true],
];

describe('the layers of docs/architecture.md are lint rules', () => {
  it.each(CASES)('%s: %s → refused %s', async (file, line, expected) => {
    expect(await refused(file, line)).toBe(expected);
  });
});
