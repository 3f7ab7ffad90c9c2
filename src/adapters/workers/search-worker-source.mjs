// Starts the TypeScript search worker from source (tsx, vitest). Node 20 does not apply `--import tsx` from a
// worker's execArgv, so the worker thread registers tsx itself before it imports the entry.
import { register } from 'tsx/esm/api';

register();
await import('./search-worker.ts');
