import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The scanner simulator is SANE's own `test` backend (spec §2): a private
 * SANE_CONFIG_DIR whose dll.conf enables only `test`, so discovery takes
 * milliseconds and never touches real hardware, plus a test.conf that sets
 * how many virtual devices exist and how large their scan area is.
 */
export interface TestBackendOptions {
  /** Virtual devices test:0 … test:(n-1); at least 1 (0 makes this scanimage build crash). Default 2. */
  devices?: number;
  /** Largest scan width/height in mm. Default 300, so an A4 page fits uncut (the backend's own default is 200). */
  maxAreaMm?: number;
}

export interface TestBackend {
  /** Pass as SANE_CONFIG_DIR to scanimage. */
  readonly configDir: string;
  /**
   * Makes the highest-numbered devices vanish, as a replugged USB scanner
   * does: later opens of e.g. `test:1` fail with "open of device … failed".
   * A scan already running is unaffected (the backend read its config at open).
   */
  setDeviceCount(devices: number): void;
  dispose(): void;
}

export function createTestBackend(options: TestBackendOptions = {}): TestBackend {
  const configDir = mkdtempSync(join(tmpdir(), 'liuliu-sane-'));
  const maxAreaMm = options.maxAreaMm ?? 300;
  const writeConfig = (devices: number): void => {
    if (!Number.isInteger(devices) || devices < 1) throw new Error(`test backend needs at least one device, got ${String(devices)}`);
    writeFileSync(join(configDir, 'test.conf'), `number_of_devices ${devices}\ngeometry_max ${maxAreaMm.toFixed(1)}\n`);
  };
  writeFileSync(join(configDir, 'dll.conf'), 'test\n');
  writeConfig(options.devices ?? 2);
  return {
    configDir,
    setDeviceCount: writeConfig,
    dispose: () => rmSync(configDir, { recursive: true, force: true }),
  };
}
