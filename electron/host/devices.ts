import type { DeviceHealth } from '../../devices/device.js';
import { deviceReasonText, sameDeviceReason } from '../common/device-reasons.js';
import type { DeviceKind, DeviceStatus } from '../contract/index.js';
import type { Logger } from './logging/logger.js';
import type { EventBus } from './rpc/server.js';

/**
 * The host's view of every device's health. Drivers report DeviceHealth; this
 * registry stamps it, logs changes and puts them on the event stream.
 */
export class DeviceRegistry {
  private readonly statuses = new Map<DeviceKind, DeviceStatus>();

  constructor(
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  report(device: DeviceKind, health: DeviceHealth): void {
    const previous = this.statuses.get(device);
    if (previous && previous.state === health.state && sameDeviceReason(previous.reason, health.reason) && previous.endpoint === health.endpoint) return;
    const status: DeviceStatus = {
      device,
      state: health.state,
      since: this.now().toISOString(),
      ...(health.reason !== undefined ? { reason: health.reason } : {}),
      ...(health.endpoint !== undefined ? { endpoint: health.endpoint } : {}),
    };
    this.statuses.set(device, status);
    const level = health.state === 'ok' || health.state === 'starting' ? 'info' : 'warn';
    this.logger[level]({ device, state: health.state, reason: health.reason === undefined ? undefined : deviceReasonText(health.reason), endpoint: health.endpoint }, 'device status');
    this.bus.publish('device.status', status);
  }

  list(): DeviceStatus[] {
    return [...this.statuses.values()];
  }
}
