import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { KIOSK_FUSES, applyKioskFuses } from './fuses.js';

/**
 * The fuse configuration applied to a stand-in for Electron's binary: bytes
 * around the fuse wire as Electron lays it out (sentinel, version 1, length,
 * one byte per fuse), with Electron 45's defaults.
 */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// RunAsNode, CookieEncryption, NODE_OPTIONS, --inspect, ASAR integrity, only ASAR, V8 snapshot, file: privileges, WASM trap handlers
const ELECTRON_DEFAULT_WIRE = '101100011';

function fakeElectron(wire = ELECTRON_DEFAULT_WIRE): string {
  const file = join(mkdtempSync(join(tmpdir(), 'liuliu-fuses-')), 'electron');
  writeFileSync(file, Buffer.concat([randomBytes(4096), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), randomBytes(4096)]));
  return file;
}

describe('Electron fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and --inspect; turn on cookie encryption, ASAR integrity and ASAR-only loading', async () => {
    const binary = fakeElectron();
    const before = await getCurrentFuseWire(binary);
    expect(before[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
    expect(await applyKioskFuses(binary)).toBe(1);
    const after = await getCurrentFuseWire(binary);
    expect(after[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(after[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(after[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(after[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(after[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(after[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(after[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('decides every fuse: a binary with a fuse the config does not know is refused', async () => {
    const known = Object.keys(KIOSK_FUSES).filter((key) => /^\d+$/.test(key)).length;
    expect(known).toBe(Object.keys(FuseV1Options).filter((key) => /^\d+$/.test(key)).length);
    const newer = fakeElectron(`${ELECTRON_DEFAULT_WIRE}1`);
    await expect(applyKioskFuses(newer)).rejects.toThrow(/strictlyRequireAllFuses/);
    // A copy of the same binary untouched by the failed attempt still has its defaults.
    const copy = `${newer}.copy`;
    copyFileSync(newer, copy);
    expect((await getCurrentFuseWire(copy))[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
  });
});
