// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const awsSdk = ['@aws-sdk/*', 'aws-sdk', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@middy/*', '@aws-lambda-powertools/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.data/**', 'web/dist/**', 'coverage/**', '.scratch/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The layering rule: the domain (shared/domain, shared/letters, shared/app) is plain
    // TypeScript. It imports no AWS SDK, no middleware, and nothing from functions/, infra/,
    // local/ or the adapters.
    files: ['shared/domain/**/*.ts', 'shared/app/**/*.ts', 'shared/letters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: awsSdk, message: 'The domain imports no AWS SDK or infrastructure library.' },
          { group: ['**/functions/**', '**/infra/**', '**/local/**', '**/adapters/**', '**/http/**'], message: 'The domain imports nothing from functions/, infra/, local/, adapters or http.' },
        ],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/functions/**', '**/infra/**', '**/local/**'], message: 'shared/ imports nothing from functions/, infra/ or local/.' },
        ],
      }],
    },
    ignores: ['shared/domain/**', 'shared/app/**', 'shared/letters/**'],
  },
);
