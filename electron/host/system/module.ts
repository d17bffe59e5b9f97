import type { Device } from '../../../devices/device.js';
import type { DeviceKind } from '../../contract/index.js';
import type { HostContext, HostModule } from '../module.js';
import { deviceReason } from '../../common/device-reasons.js';

/** Terminal-wide facts: hall identity, versions, device health, UI readiness. */
export function systemModule(ctx: HostContext, info: { version: string; bootMs: () => number }): HostModule {
  return {
    name: 'system',
    handlers: {
      'system.info': () => {
        const { hall } = ctx.content();
        return {
          product: 'Liuliu' as const,
          version: info.version,
          terminalId: ctx.config.terminalId,
          hallName: hall.name,
          hallFullName: hall.fullName,
          robotName: hall.robot.name,
          defaultLocale: ctx.config.defaultLocale,
          openingHours: hall.openingHours.summary,
          phone: hall.phone,
          hotline: hall.hotline,
          contentVersion: hall.version,
          bootMs: info.bootMs(),
          developerMode: ctx.config.developerMode,
        };
      },
      'system.ping': ({ echo }) => ({ ...(echo !== undefined ? { echo } : {}), at: ctx.now().toISOString() }),
      'devices.status': () => ctx.devices.list(),
      'ui.ready': ({ screen, msSinceNavigation }) => {
        ctx.logger.info({ screen, msSinceNavigation }, 'renderer drew its first screen');
        return { ok: true as const };
      },
    },
  };
}

/**
 * Runs a shared device (printer, scanner) for the host: starts it, forwards
 * its health to the device registry, and stops it at shutdown. Modules that
 * use the device get it from the HostContext.
 */
export function deviceModule(ctx: HostContext, kind: DeviceKind, device: Device | undefined, dispose: () => Promise<void> | undefined): HostModule {
  let unsubscribe: (() => void) | undefined;
  return {
    name: `device:${kind}`,
    handlers: {},
    async start() {
      if (!device) {
        ctx.devices.report(kind, { state: 'disconnected', reason: deviceReason('device.notConfigured', {}) });
        return;
      }
      unsubscribe = device.events.on('health', (health) => ctx.devices.report(kind, health));
      await device.start();
      ctx.devices.report(kind, device.health());
    },
    async stop() {
      unsubscribe?.();
      await dispose();
    },
  };
}
