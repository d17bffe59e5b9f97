// Builds everything the shells run: the renderer bundle (Vite), the browser
// shell's bridge script (Vite, IIFE) and the Node/Electron code (tsc).
// Plain JS so that `npm run build` needs nothing compiled first.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });

await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: join(root, 'dist', 'bridge'),
    emptyOutDir: true,
    target: 'chrome120',
    lib: { entry: join(root, 'electron', 'browser-shell', 'bridge', 'bridge.ts'), formats: ['iife'], name: 'liuliuBridgeModule', fileName: () => 'bridge.js' },
  },
});
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
console.log(`build: renderer, bridge and host built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
