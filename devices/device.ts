/**
 * What every device driver shares with the host: a health status that the
 * host forwards on its event stream (`device.status`), and a lifecycle.
 * Drivers take their I/O (port factories, child-process spawners) as
 * parameters so the same code runs against a simulator and real hardware.
 */
import type { DeviceReason } from '../electron/common/device-reasons.js';

export type DeviceState = 'ok' | 'disconnected' | 'error' | 'degraded' | 'starting';

export interface DeviceHealth {
  state: DeviceState;
  /** Why, for staff: a code with parameters (`deviceReason('device.printerFault', {reason: 'paper_out'})`), translated on the staff screen. */
  reason?: DeviceReason;
  /** e.g. `serial:/dev/ttyUSB0`, `tcp://127.0.0.1:9100`, `sane:test:0` */
  endpoint?: string;
}

export type Unsubscribe = () => void;

/** A tiny typed event emitter, so drivers need no Node EventEmitter typing games. */
export class Emitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      (listener as (payload: Events[K]) => void)(payload);
    }
  }
}

export interface Device<Events extends { health: DeviceHealth } = { health: DeviceHealth }> {
  readonly events: Emitter<Events>;
  health(): DeviceHealth;
  start(): Promise<void>;
  stop(): Promise<void>;
}
