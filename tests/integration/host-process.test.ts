import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FromSupervised } from '../../electron/contract/index.js';

/**
 * The browser shell's host as the supervisor runs it (the built
 * dist/electron/browser-shell/host-process.js): port and token over the IPC
 * channel, heartbeats back, and on SIGTERM a stop that completes — modules
 * stopped, database closed, log written — before the process exits.
 */
const root = join(import.meta.dirname, '..', '..');
const entry = join(root, 'dist', 'electron', 'browser-shell', 'host-process.js');

describe('host process', () => {
  it('serves on the port and token it is given, beats, and on SIGTERM finishes its stop before exiting', { timeout: 90_000 }, async () => {
    expect(existsSync(entry), 'run npm run build first').toBe(true);
    const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-host-process-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ queue: { listen: { port: 0 } }, devices: { idcard: { kind: 'none' }, printer: { kind: 'none' }, scanner: { kind: 'none' } } }));
    const child = fork(entry, ['--config', configFile], { env: { ...process.env, LIULIU_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const messages: FromSupervised[] = [];
    child.on('message', (message) => messages.push(message as FromSupervised));
    const token = 'a-supervisor-token-0123456789';
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    child.send({ type: 'start', port, token });
    await expect.poll(() => messages.some((m) => m.type === 'ready'), { timeout: 60_000 }).toBe(true);
    expect(messages.find((m) => m.type === 'ready')).toEqual({ type: 'ready', port });
    await expect.poll(() => messages.some((m) => m.type === 'alive'), { timeout: 5_000 }).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const logs = readdirSync(join(dataDir, 'logs')).map((name) => readFileSync(join(dataDir, 'logs', name), 'utf8')).join('');
    expect(logs).toContain('"msg":"host stopped"');
  });
});
