import type { IdCardReaderHandle } from '../../../devices/idcard/index.js';
import { ApiError } from '../../contract/index.js';
import type { HostContext, HostModule } from '../module.js';
import type { SessionManager } from './manager.js';
import { deviceReason } from '../../common/device-reasons.js';

/**
 * Citizen sessions and the ID-card reader that starts them: reader events
 * become session changes; the developer panel drives the simulator.
 */
export function sessionModule(ctx: HostContext, sessions: SessionManager, reader: IdCardReaderHandle | undefined, demoCards: Record<string, { label: string; card: unknown }>): HostModule {
  const requireSimulator = () => {
    if (!ctx.config.developerMode) throw new ApiError('refused', 'the developer panel is off (config developerMode)');
    if (!reader?.simulator) throw new ApiError('unavailable', 'the ID-card reader is not the simulator');
    return reader.simulator;
  };
  const unsubscribers: Array<() => void> = [];

  return {
    name: 'session',
    handlers: {
      'session.current': () => sessions.current(),
      'session.begin': () => sessions.begin(),
      'session.touch': () => {
        sessions.touch();
        return { ok: true as const };
      },
      'session.end': async () => {
        await sessions.end('logout');
        return { ok: true as const };
      },
      'dev.idcard.cards': () => {
        requireSimulator();
        return Object.entries(demoCards).map(([id, { label }]) => ({ id, label }));
      },
      'dev.idcard.place': ({ cardId }) => {
        const simulator = requireSimulator();
        const demo = demoCards[cardId];
        if (!demo) throw new ApiError('not_found', `no demo card "${cardId}"`);
        simulator.placeCard(demo.card as Parameters<typeof simulator.placeCard>[0]);
        return { ok: true as const };
      },
      'dev.idcard.remove': () => {
        requireSimulator().removeCard();
        return { ok: true as const };
      },
    },
    async start() {
      if (!reader) {
        ctx.devices.report('idcard', { state: 'disconnected', reason: deviceReason('device.notConfigured', {}) });
        return;
      }
      const { events } = reader.reader;
      unsubscribers.push(
        events.on('health', (health) => ctx.devices.report('idcard', health)),
        events.on('reading', () => sessions.cardReading()),
        events.on('cardPlaced', (read) => sessions.cardPlaced(read)),
        events.on('cardRemoved', () => sessions.cardRemoved()),
        events.on('readError', (error) => sessions.readFailed(error)),
      );
      ctx.devices.report('idcard', reader.reader.health());
      await reader.reader.start();
    },
    async stop() {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      await sessions.stop();
      await reader?.dispose();
    },
  };
}
