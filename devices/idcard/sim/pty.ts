/**
 * A pseudo-terminal pair from socat, named by symlinks in a directory:
 * `driver` for the kiosk side, `reader` for the simulator side. stop() kills
 * socat (both links vanish, like an unplugged USB adapter); start() again
 * recreates them at the same paths.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dieWithParent } from '../../parent-death.js';

export class PtyPair {
  readonly driverPath: string;
  readonly readerPath: string;
  private socat: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    private readonly ownsDir: boolean,
  ) {
    this.driverPath = join(dir, 'driver');
    this.readerPath = join(dir, 'reader');
  }

  /** Creates a temp dir (or uses `dir`) and starts socat in it. */
  static async create(dir?: string): Promise<PtyPair> {
    const pair = dir === undefined ? new PtyPair(await mkdtemp(join(tmpdir(), 'liuliu-idcard-')), true) : new PtyPair(dir, false);
    await pair.start();
    return pair;
  }

  get running(): boolean {
    return this.socat !== undefined;
  }

  /** Spawns socat and resolves once both links exist. */
  async start(): Promise<void> {
    if (this.socat) return;
    // socat dies with whoever started it, even on kill -9 (a leftover keeps the links and a pty pair).
    const line = dieWithParent('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.driverPath}`, `pty,raw,echo=0,link=${this.readerPath}`]);
    const socat = spawn(line.command, line.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.socat = socat;
    let stderr = '';
    socat.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<string>((resolve) => socat.once('exit', (code) => resolve(`socat exited (${code}): ${stderr.trim()}`)));
    socat.once('exit', () => {
      if (this.socat === socat) this.socat = undefined;
    });
    const spawnError = new Promise<string>((resolve) => socat.once('error', (error) => resolve(`cannot run socat: ${error.message}`)));
    const deadline = Date.now() + 10_000;
    while (!(existsSync(this.driverPath) && existsSync(this.readerPath))) {
      const failure = await Promise.race([exited, spawnError, delay(20).then(() => undefined)]);
      if (failure !== undefined) throw new Error(failure);
      if (Date.now() > deadline) {
        socat.kill('SIGKILL');
        throw new Error(`socat did not create ${this.driverPath} within 10 s: ${stderr.trim()}`);
      }
    }
  }

  /** Kills socat; resolves when it has exited and the links are gone. */
  async stop(): Promise<void> {
    const socat = this.socat;
    if (!socat) return;
    const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
    socat.kill('SIGTERM');
    await exited;
    // socat unlinks its links on a clean exit; remove leftovers of a hard kill.
    await rm(this.driverPath, { force: true });
    await rm(this.readerPath, { force: true });
  }

  /** stop(), and remove the directory if create() made it. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
