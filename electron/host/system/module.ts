import type { HostContext, HostModule } from '../module.js';

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
