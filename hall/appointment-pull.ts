import type { AppointmentPage } from '../platform-contract/contract.js';
import type { Logger } from '../electron/host/logging/logger.js';
import { backoffDelay, type BackoffPolicy } from '../electron/common/backoff.js';
import { describeError, type CallResult } from '../electron/host/sync/client.js';
import type { AppointmentBook } from './appointment-book.js';

/**
 * Keeps the hall's appointments current: at once on start and then every `intervalMs` it pulls the
 * pages after the stored cursor from the platform (signed, the contract's
 * `GET /v1/appointments`) and then releases the no-shows whose window has
 * closed. A failed pull retries with the one backoff (`electron/common/backoff.ts`);
 * without a platform only the no-show release runs.
 */
export interface AppointmentSource {
  appointments(cursor: string | null, limit: number): Promise<CallResult<AppointmentPage>>;
}

export interface AppointmentUpkeepOptions {
  book: AppointmentBook;
  /** The platform client; omitted = no platform, no-shows only. */
  source?: AppointmentSource;
  logger: Logger;
  now: () => Date;
  /** Default 60 s. */
  intervalMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export interface AppointmentUpkeep {
  /** Runs one cycle now: the pull's failure (described) or null. */
  runNow(): Promise<string | null>;
  stop(): void;
}

const PAGE_SIZE = 200;
const MAX_PAGES_PER_CYCLE = 50;
const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 300_000 };

export async function pullAppointments(book: AppointmentBook, source: AppointmentSource, now: () => Date): Promise<string | null> {
  let cursor = await book.cursor();
  for (let page = 0; page < MAX_PAGES_PER_CYCLE; page += 1) {
    const result = await source.appointments(cursor, PAGE_SIZE);
    if (!result.ok) return describeError(result.error);
    await book.apply(result.value.appointments, result.value.cursor, now());
    cursor = result.value.cursor;
    if (!result.value.more) break;
  }
  return null;
}

export function startAppointmentUpkeep(options: AppointmentUpkeepOptions): AppointmentUpkeep {
  const { book, source, now } = options;
  const logger = options.logger.child({ module: 'appointment-pull' });
  const interval = options.intervalMs ?? 60_000;
  const random = options.random ?? Math.random;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<string | null> | null = null;

  const cycle = async (): Promise<string | null> => {
    let failure: string | null;
    try {
      failure = source === undefined ? null : await pullAppointments(book, source, now);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    if (failure === null) failures = 0;
    else {
      failures += 1;
      logger.warn({ failures, error: failure }, 'appointments: pull failed');
    }
    try {
      await book.releaseNoShows(now());
    } catch (err) {
      logger.error({ err }, 'appointments: releasing no-shows failed');
    }
    return failure;
  };

  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void runNow(), ms);
    timer.unref();
  };

  const runNow = (): Promise<string | null> => {
    running ??= cycle().finally(() => {
      running = null;
      clearTimeout(timer);
      schedule(failures > 0 ? backoffDelay(failures, options.backoff ?? DEFAULT_BACKOFF, random) : interval);
    });
    return running;
  };

  // The first pull at once (a hall started in the morning has its appointments now, not an interval later), then every interval.
  schedule(0);
  return {
    runNow,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
