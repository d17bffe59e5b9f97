import { SaneScanner } from './sane-scanner.js';
import type { DriverLogger } from './sane-scanner.js';
import { createTestBackend } from './test-backend.js';

/**
 * Entry point of the scanner driver: `createScanner(config, logger)` builds
 * a {@link SaneScanner} for a real SANE device or for the simulator (SANE's
 * `test` backend with a private config directory).
 */
interface CommonScannerConfig {
  /** Backend options appended to every scan (test faults such as `['--read-return-value', 'SANE_STATUS_JAMMED']`). */
  extraArgs?: string[];
  pageTimeoutMs?: number;
  cancelGraceMs?: number;
  probeTimeoutMs?: number;
  /** scanimage binary; default `scanimage` from PATH. */
  command?: string;
  tempRoot?: string;
}

export type ScannerConfig =
  | (CommonScannerConfig & { kind: 'sane'; device: string; saneConfigDir?: string })
  | (CommonScannerConfig & {
      kind: 'simulator';
      /** Default `test:0`. */
      device?: string;
      /** Virtual devices in the private config; default 2. */
      devices?: number;
    });

export function createScanner(config: ScannerConfig, logger: DriverLogger): SaneScanner {
  const common = {
    logger,
    ...(config.extraArgs === undefined ? {} : { extraArgs: config.extraArgs }),
    ...(config.pageTimeoutMs === undefined ? {} : { pageTimeoutMs: config.pageTimeoutMs }),
    ...(config.cancelGraceMs === undefined ? {} : { cancelGraceMs: config.cancelGraceMs }),
    ...(config.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: config.probeTimeoutMs }),
    ...(config.command === undefined ? {} : { command: config.command }),
    ...(config.tempRoot === undefined ? {} : { tempRoot: config.tempRoot }),
  };
  if (config.kind === 'sane') {
    return new SaneScanner({ ...common, device: config.device, ...(config.saneConfigDir === undefined ? {} : { saneConfigDir: config.saneConfigDir }) });
  }
  const backend = createTestBackend({ ...(config.devices === undefined ? {} : { devices: config.devices }) });
  return new SaneScanner({
    ...common,
    device: config.device ?? 'test:0',
    saneConfigDir: backend.configDir,
    // A patterned page instead of the backend's default solid black, so images have content.
    extraArgs: ['--test-picture', 'Color pattern', ...(config.extraArgs ?? [])],
    onStopped: () => backend.dispose(),
  });
}

export { SaneScanner, discoverScanners, scanimageEnv, sweepScanTemp, SCAN_DIR_PREFIX } from './sane-scanner.js';
export type { DriverLogger, SaneScannerOptions, ScanProgress, ScannedPage } from './sane-scanner.js';
export { A4_MM, MAX_ADF_PAGES } from './args.js';
export type { ColourMode, OutputFormat, PaperSource, ScanOptions } from './args.js';
export { SCAN_ERROR_MESSAGES, ScanError } from './errors.js';
export type { ScanErrorCode } from './errors.js';
export { ImageError, normalise } from './normalise.js';
export type { ImageErrorCode, NormaliseOptions, NormalisedPage } from './normalise.js';
export { createTestBackend } from './test-backend.js';
export type { TestBackend, TestBackendOptions } from './test-backend.js';
export type { DeviceCapabilities, DiscoveredDevice, RoundedValue } from './parse.js';
