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
// A pattern starting with `!` is an exception to every other pattern.
const restrict = (patterns, message) => {
  const exceptions = patterns.filter((p) => p.startsWith('!'));
  const denied = patterns.filter((p) => !p.startsWith('!'));
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: denied.filter((p) => p === 'electron' || p === 'react').map((name) => ({ name, message })),
        patterns: denied.filter((p) => p !== 'electron' && p !== 'react').map((group) => ({ group: [group, ...exceptions], message })),
      },
    ],
  };
};

// The hall service (hall/) is its own deployable: others see only its
// protocol (hall/protocol, pure zod), the kiosk client also the pure rules it
// shares for offline issuing (hours, numbering, priority) and the public entry
// (embedded mode starts the service in-process through it).
const hallInternals = (...allowed) => ['**/hall/*', ...allowed.map((a) => `!**/hall/${a}`)];

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
      ...restrict([...nodeBuiltins, 'electron', '**/electron/host/**', '**/devices/**', '**/browser-shell/**', ...hallInternals('protocol')], 'the renderer reaches the host only through the contract client (renderer/src/api), and the hall service only through its protocol (hall/protocol)'),
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
    files: ['electron/host/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      ['electron', '**/renderer/**', '**/browser-shell/**', '**/main/**', '**/platform/*', ...hallInternals('protocol', 'index.js', 'hours.js', 'rules.js', 'handshake.js')],
      'the host is plain Node: no Electron, no renderer, no shell code; the platform only through platform-contract/, the hall service only through hall/protocol, its pure rules and hall/index.ts',
    ),
  },
  {
    files: ['platform/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', '**/renderer/**', '**/browser-shell/**', '**/main/**', '**/electron/host/sync/**', '**/hall/**'], 'the reference platform imports platform-contract/, the host storage and logging, electron/common: never the terminal side'),
  },
  {
    files: ['platform-contract/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', 'react', '**/electron/**', '**/renderer/**', '**/platform/**', '**/hall/**', '**/devices/**'], 'the platform contract belongs to neither side: zod, node:crypto and itself only'),
  },
  {
    files: ['hall/**/*.ts'],
    ignores: ['**/*.test.ts', 'hall/protocol/**'],
    rules: restrict(
      ['electron', 'react', '**/renderer/**', '**/browser-shell/**', '**/main/**', '**/electron/host/queue/**', '**/devices/**', '**/platform/*', '**/electron/contract/**'],
      'the hall service imports hall/, electron/common, the host storage, logging, content schema and sync worker, platform-contract/: never the kiosk queue module, devices or the renderer',
    ),
  },
  {
    files: ['hall/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'react', '**/electron/**', '**/renderer/**', '**/devices/**', '**/platform/**', '../*'], 'the hall protocol is pure (zod only): the pages import it in the browser'),
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
