import { fileURLToPath } from 'node:url';
import { FuseV1Options, FuseVersion, flipFuses, type FuseConfig } from '@electron/fuses';

/**
 * Electron's fuses for the packaged kiosk: switches compiled into the
 * Electron binary that turn off what a kiosk never needs and an attacker on
 * the terminal would use (run the binary as plain Node, NODE_OPTIONS,
 * --inspect), and make the app load only from its integrity-checked ASAR.
 * Every fuse is decided (strictlyRequireAllFuses): an Electron upgrade that
 * adds one fails the packaging until someone decides it.
 *
 * `npm run package:fuses -- <path to the packaged Electron binary>`
 */
export const KIOSK_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer is served from liuliu://app, never file://: file: needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
} satisfies FuseConfig;

/** Flips the kiosk's fuses in a packaged Electron binary; returns how many fuse wires were written. */
export function applyKioskFuses(electronBinary: string): Promise<number> {
  return flipFuses(electronBinary, KIOSK_FUSES);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: npm run package:fuses -- <path to the packaged Electron binary>');
    process.exit(2);
  }
  applyKioskFuses(binary).then(
    () => console.log(`fuses: set in ${binary}`),
    (err: unknown) => {
      console.error(`fuses: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
