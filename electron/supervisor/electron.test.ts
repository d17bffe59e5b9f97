import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RestartLog } from '../contract/index.js';
import { silentLogger } from '../host/logging/logger.js';
import { superviseElectronShell } from './electron.js';
import { DEFAULT_POLICY } from './policy.js';

/**
 * The Electron shell under its supervisor, with a stand-in for Electron's
 * binary (a Node script speaking the same IPC messages as electron/main):
 * it reports a renderer it reloaded, then dies; the supervisor records both
 * and starts it again.
 */
const FAKE_ELECTRON = `#!${process.execPath}
const fs = require('node:fs');
const runs = process.env.FAKE_RUNS;
fs.appendFileSync(runs, 'run\\n');
process.send({ type: 'ready' });
process.send({ type: 'recovered', record: { at: new Date().toISOString(), part: 'renderer', reason: "the page's renderer is gone (crashed)", action: 'reload', delayMs: 0 } });
process.send({ type: 'alive', bogus: true });
setTimeout(() => process.exit(3), 300);
`;

describe('the Electron shell under its supervisor', () => {
  it('records what the shell recovered by itself, and restarts the shell when it exits', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-electron-sup-'));
    const binary = join(dir, 'electron');
    writeFileSync(binary, FAKE_ELECTRON);
    chmodSync(binary, 0o755);
    const runs = join(dir, 'runs');
    writeFileSync(runs, '');
    process.env['FAKE_RUNS'] = runs;
    const supervisor = superviseElectronShell({ binary, args: [], dataDir: dir, logger: silentLogger(), policy: { ...DEFAULT_POLICY, backoff: { baseMs: 100, maxMs: 200 } } });
    try {
      await expect.poll(() => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      const log = JSON.parse(readFileSync(join(dir, 'run', 'restarts.json'), 'utf8')) as RestartLog;
      expect(log.restarts).toContainEqual(expect.objectContaining({ part: 'renderer', action: 'reload' }));
      expect(log.restarts).toContainEqual(expect.objectContaining({ part: 'host', reason: 'exited with code 3', action: 'restart' }));
    } finally {
      await supervisor.stop();
      delete process.env['FAKE_RUNS'];
    }
  });
});
