// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layering (which part of the code may import which) is checked by dependency-cruiser,
// .dependency-cruiser.cjs, in the same `npm run lint`.
export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.data/**', 'web/dist/**', 'coverage/**', '.scratch/**', 'test-results/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
);
