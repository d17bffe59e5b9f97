import type { MaintenanceView } from '../../contract/index.js';
import type { Hall } from '../content/schema.js';

/**
 * Maintenance mode as plain data and decisions: the state kept across
 * restarts, the desk the notice names, and when a platform command may act
 * (never in the middle of a citizen's visit).
 */
export interface MaintenanceState {
  outOfService: boolean;
  desk: string | null;
  since: string | null;
  by: 'staff' | 'platform' | null;
}

export const IN_SERVICE: MaintenanceState = { outOfService: false, desk: null, since: null, by: null };

/**
 * The desk the notice names: the configured one (`operations.desk`), else
 * "1" — the hall's first information desk, by the entrance (content
 * `facilities`, type `info-desk`, first listed). Without any information
 * desk in the content there is nothing to send citizens to: null.
 */
export function defaultDesk(configured: string | undefined, hall: Hall): string | null {
  if (configured !== undefined) return configured;
  return hall.facilities.some((facility) => facility.type === 'info-desk') ? '1' : null;
}

export function enter(by: 'staff' | 'platform', desk: string, now: Date): MaintenanceState {
  return { outOfService: true, desk, since: now.toISOString(), by };
}

export function view(state: MaintenanceState, fallbackDesk: string | null, pending: MaintenanceView['pending']): MaintenanceView {
  return { outOfService: state.outOfService, desk: state.desk ?? fallbackDesk, since: state.since, by: state.by, pending };
}

/** Reads a stored state; anything unreadable counts as in service (logged by the caller). */
export function parseState(text: string | undefined): MaintenanceState | null {
  if (text === undefined) return IN_SERVICE;
  try {
    const value = JSON.parse(text) as Partial<MaintenanceState>;
    if (typeof value.outOfService !== 'boolean') return null;
    return {
      outOfService: value.outOfService,
      desk: typeof value.desk === 'string' ? value.desk : null,
      since: typeof value.since === 'string' ? value.since : null,
      by: value.by === 'staff' || value.by === 'platform' ? value.by : null,
    };
  } catch {
    return null;
  }
}
