// ESLint, type-aware (typescript-eslint with the project's tsconfig). `npm run lint` runs it with
// Prettier's check and knip (unused files, exports and dependencies); `npm test` runs lint first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// luxon is the tests' oracle; shared/domain/time.ts reads Intl (docs/decisions.md, "Cold start").
const LUXON = { name: 'luxon', message: 'Use #domain/time.ts (docs/decisions.md, "Cold start"); luxon is a test oracle.' };

/** An alias and its `#shared/…` spelling (package.json "imports" maps both). */
const layer = (name) => [`#${name}/*`, `#shared/${name}/*`];
/** The patterns are gitignore-style, where a leading `#` starts a comment: escape it. */
const escaped = (groups) => groups.map((g) => (g.startsWith('#') ? `\\${g}` : g));

/**
 * The dependency rules of docs/architecture.md ("Layers", the "may import" column), one entry per
 * folder: what files there must not import. `typeOnly` groups may still be imported as types.
 */
const LAYERS = [
  {
    files: ['shared/domain/**/*.ts', 'shared/auth/**/*.ts'],
    message:
      'shared/domain and shared/auth are pure rules: no storage, services, HTTP, adapters, vendor SDKs or I/O (docs/architecture.md, Layers).',
    groups: [
      '../*',
      ...layer('db'),
      ...layer('services'),
      ...layer('http'),
      ...layer('adapters'),
      '#shared/config.ts',
      '#functions/*',
      '#infra/*',
      '#test/*',
      '@aws-sdk/*',
      '@smithy/*',
      'stripe',
      'stripe/*',
      '@middy/*',
      'zod',
      'zod/*',
      '@aws-lambda-powertools/*',
      'aws-jwt-verify',
      'aws-jwt-verify/*',
      'pdf-lib',
      'csv-stringify',
      'csv-stringify/*',
      'node:fs',
      'node:fs/*',
      'fs',
      'fs/*',
      'node:http',
      'node:https',
      'node:net',
      'node:child_process',
    ],
  },
  {
    files: ['shared/http/**/*.ts'],
    message:
      'shared/http is the router: it reaches storage and adapters only through what the function hands it (docs/architecture.md, Layers).',
    groups: ['../../*', ...layer('services'), '#functions/*', '#infra/*', '#test/*', '@aws-sdk/*', 'stripe', 'stripe/*'],
    typeOnly: [...layer('db'), ...layer('adapters')],
  },
  {
    files: ['shared/services/**/*.ts'],
    message: 'Services never see HTTP, and reach AWS and Stripe only through adapters and repositories (docs/architecture.md, Layers).',
    groups: [
      '../*',
      ...layer('http'),
      '#functions/*',
      '#infra/*',
      '#test/*',
      '@aws-sdk/client-*',
      '@aws-sdk/lib-storage',
      'stripe',
      'stripe/*',
      '@middy/*',
      'zod',
      'zod/*',
    ],
    typeOnly: ['@aws-sdk/lib-dynamodb'],
  },
  {
    files: ['shared/db/**/*.ts'],
    message: 'shared/db holds the repositories: domain types in, DynamoDB out; nothing above it (docs/architecture.md, Layers).',
    groups: [
      '../*',
      ...layer('services'),
      ...layer('http'),
      ...layer('adapters'),
      '#shared/auth/*',
      '#functions/*',
      '#infra/*',
      '#test/*',
      'stripe',
      'stripe/*',
      '@middy/*',
    ],
  },
  {
    files: ['shared/adapters/**/*.ts'],
    message: 'An adapter wraps one vendor behind an interface; it knows no services, storage or router (docs/architecture.md, Layers).',
    groups: ['../*', ...layer('services'), ...layer('db'), '#functions/*', '#infra/*', '#test/*'],
    typeOnly: [...layer('http'), '@aws-lambda-powertools/*'],
  },
  {
    files: ['functions/**/*.ts'],
    message:
      'A function imports shared/ and its own folder, never another function, the CDK or the local runtime (docs/architecture.md, Layers).',
    groups: ['#functions/*', '../*', '#infra/*', '#test/*', 'aws-cdk-lib', 'aws-cdk-lib/*'],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'web/dist/', 'test-results/', 'web/src/api/openapi.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // Handlers and fakes implement Promise-returning interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // Zone arithmetic reads Intl in shared/domain/time.ts; luxon is the tests' oracle only.
      'no-restricted-imports': ['error', { paths: [LUXON] }],
    },
  },
  // Later blocks replace the rule's options for their files, so each repeats the luxon entry.
  ...LAYERS.map(({ files, message, groups, typeOnly = [] }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [LUXON],
          patterns: [
            { group: escaped(groups), message },
            ...(typeOnly.length > 0
              ? [{ group: escaped(typeOnly), message: `${message} Type imports only.`, allowTypeImports: true }]
              : []),
          ],
        },
      ],
    },
  })),
  {
    // Tests read loosely typed JSON answers on purpose (`res.body.error.code`).
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
