import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const wallClockBan = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Read time from the Clock port (core/clock.ts), never Date.now().',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read time from the Clock port (core/clock.ts), never new Date().',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message: 'Use the seeded random source (core/random.ts), never Math.random().',
  },
  {
    selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
    message: 'Read time from the Clock port (core/clock.ts).',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/clock.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...wallClockBan],
    },
  },
  {
    // Wall-clock timers belong to the edges (adapters, interfaces, the live runtime) only.
    files: ['src/**/*.ts'],
    ignores: ['src/core/clock.ts', 'src/adapters/**', 'src/interfaces/**', 'src/live/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Schedule on the Clock port (kernel scheduler), not wall-clock timers.' },
        { name: 'setInterval', message: 'Schedule on the Clock port (kernel scheduler), not wall-clock timers.' },
      ],
    },
  },
  {
    files: ['src/**/*.test.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...wallClockBan],
    },
  },
);
