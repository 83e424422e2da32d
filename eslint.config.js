// Lint rules: typed, strict, and no escape hatches (`any`, ts-ignore) in product code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.cache/**', 'load-tests/k6/**', 'clients/web/vendor/**', 'clients/web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The visitor pages reach the hub through the SDK only and format money and numbers with Intl
    // (format.ts, i18n.ts): no hand-written HTTP calls, no hand-made amounts.
    files: ['clients/web/src/*.{ts,tsx}', 'clients/web/src/views/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'call the hub through the SDK (api and hub() in session.ts)' }, { name: 'XMLHttpRequest', message: 'call the hub through the SDK' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='request']", message: "use the SDK's method for the route, not a raw api.request" },
        { selector: "CallExpression[callee.property.name=/^(toFixed|toLocaleString)$/]", message: 'format money with money() (format.ts) and numbers with number() (i18n.ts): Intl in the language shown' },
      ],
    },
  },
  {
    // The service worker is a plain script served as it is (clients/web/public).
    files: ['clients/web/public/**/*.js'],
    languageOptions: { globals: { self: 'readonly', caches: 'readonly', fetch: 'readonly', Response: 'readonly' } },
  },
);
