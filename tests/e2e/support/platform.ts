import { startLoopbackPlatform, type LoopbackPlatform } from '../../../platform/testing.js';
import { test as kioskTest } from '../kiosk.js';

export type { LoopbackPlatform };
type LoopbackPlatformOptions = NonNullable<Parameters<typeof startLoopbackPlatform>[0]>;

/** A kiosk that syncs with a reference platform on loopback: who it is there, how the platform behaves, the rest of the kiosk's config. */
export interface PlatformKiosk {
  /** The terminal the platform knows and the kiosk signs as. */
  terminal: { id: string; secret: string };
  /** How the platform starts besides knowing the terminal (faults, the hall's citizen-key secret…). */
  platform?: Omit<LoopbackPlatformOptions, 'terminals'>;
  /** More of the kiosk's `platform` config (`citizenKeySecret`, `publicUrl`…). */
  kioskPlatform?: Record<string, unknown>;
  /** The rest of the kiosk's config (`staffPinHash`, `session`, `queue`…). */
  kiosk?: Record<string, unknown>;
}

/**
 * The kiosk's config pointing at `platform`: the terminal's id and secret,
 * syncing only when the visit ends or staff ask (the hourly interval never
 * comes in a test), the embedded hall service on a free port unless
 * `kiosk.queue` says otherwise.
 */
export function platformKioskConfig(platform: LoopbackPlatform, setup: PlatformKiosk): Record<string, unknown> {
  return {
    terminalId: setup.terminal.id,
    queue: { listen: { port: 0 } },
    ...setup.kiosk,
    platform: { baseUrl: platform.url, secret: setup.terminal.secret, intervalSeconds: 3600, ...setup.kioskPlatform },
  };
}

/**
 * The `kiosk` test with a `platform` fixture: one reference platform per
 * worker (loopback, port 0, its own temp directory, closed after), and the
 * kiosk's config pointed at it. A spec that needs more before the kiosk
 * starts extends the result and overrides `kioskConfig` with
 * `platformKioskConfig(platform, setup)`.
 */
export function withLoopbackPlatform(setup: PlatformKiosk) {
  return kioskTest.extend<object, { platform: LoopbackPlatform }>({
    platform: [
      // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
      async ({}, use) => {
        const platform = await startLoopbackPlatform({ ...setup.platform, terminals: [setup.terminal] });
        await use(platform);
        await platform.close();
      },
      { scope: 'worker' },
    ],
    kioskConfig: async ({ platform }, use) => {
      await use(platformKioskConfig(platform, setup));
    },
  });
}
