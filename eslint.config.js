// Lint: typescript-eslint's recommended rules, React hooks rules, and the
// layering rules that keep each folder to what it may import (see each
// folder's README). tests/lint/layering.test.ts checks the layering rules bite.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'worker_threads'];
// `electron` (the package) is matched by name; folder patterns by path, so
// the repo's own electron/ folder is not mistaken for the package.
const restrict = (patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: patterns.filter((p) => p === 'electron' || p === 'react').map((name) => ({ name, message })),
      patterns: patterns.filter((p) => p !== 'electron' && p !== 'react').map((group) => ({ group: [group], message })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'content/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      // Stripping control characters from untrusted text is deliberate here.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([...nodeBuiltins, 'electron', '**/electron/host/**', '**/devices/**', '**/browser-shell/**'], 'the renderer reaches the host only through the contract client (renderer/src/api)'),
    },
  },
  {
    files: ['electron/contract/**/*.ts', 'electron/common/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'react', '**/host/**', '**/renderer/**', '**/devices/**'], 'contract and common code is pure: no Node, DOM-framework, host or device imports'),
  },
  {
    files: ['devices/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', '**/electron/host/**', '**/renderer/**'], 'devices depend only on devices/, electron/common and npm packages'),
  },
  {
    files: ['electron/host/**/*.ts', 'platform/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', '**/renderer/**', '**/browser-shell/**', '**/main/**'], 'the host is plain Node: no Electron, no renderer, no shell code'),
  },
  {
    files: ['electron/supervisor/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', 'react', '**/renderer/**', '**/main/**', '**/devices/**'], 'the supervisor is plain Node: it starts and watches processes, never Electron, the renderer or devices'),
  },
  {
    // A sandboxed preload must be CommonJS; `import x = require()` is how TypeScript writes that.
    files: ['electron/preload/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/browser-shell/bridge/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
