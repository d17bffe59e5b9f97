// Builds everything the shells run: the renderer bundle (Vite), the browser
// shell's bridge script (Vite, IIFE) and the Node/Electron code (tsc).
// Plain JS so that `npm run build` needs nothing compiled first. Bundles are
// built beside dist/ and swapped in by rename, so a kiosk (or a test) already
// serving dist/ never sees a half-written renderer.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = Date.now();
mkdirSync(dist, { recursive: true });

function swapIn(name, staged) {
  const target = join(dist, name);
  const old = `${target}.old-${process.pid}`;
  try {
    renameSync(target, old);
  } catch {
    // first build: nothing to replace
  }
  renameSync(staged, target);
  rmSync(old, { recursive: true, force: true });
}

const rendererStage = join(dist, `.renderer-${process.pid}`);
await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir: rendererStage, emptyOutDir: true } });
swapIn('renderer', rendererStage);

const bridgeStage = join(dist, `.bridge-${process.pid}`);
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: bridgeStage,
    emptyOutDir: true,
    target: 'chrome120',
    lib: { entry: join(root, 'electron', 'browser-shell', 'bridge', 'bridge.ts'), formats: ['iife'], name: 'liuliuBridgeModule', fileName: () => 'bridge.js' },
  },
});
swapIn('bridge', bridgeStage);

execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
console.log(`build: renderer, bridge and host built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
