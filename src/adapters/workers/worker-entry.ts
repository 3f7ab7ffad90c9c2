/**
 * The file a worker thread starts from, next to the module asking: `<name>.js` in the compiled package, or
 * `<name>-source.mjs` (a bootstrap that registers tsx, then imports `<name>.ts`) when that module itself runs
 * from TypeScript source (tsx, vitest). Node 20 does not apply `--import tsx` from a worker's execArgv.
 */
export function workerEntry(name: string, moduleUrl: string): URL {
  const fromSource = moduleUrl.endsWith('.ts');
  return new URL(fromSource ? `./${name}-source.mjs` : `./${name}.js`, moduleUrl);
}
