import { z } from 'zod';

/**
 * Fault injection for the reference platform, so the terminal's sync can be
 * tested against the failures a real network and platform produce. Each
 * percentage is an independent chance per /v1 request. The switches are set
 * by CLI flags or PUT /admin/faults.
 */
const percent = z.number().min(0).max(100);

export const FaultConfig = z.object({
  /** Answer 500 before doing anything. */
  failPercent: percent,
  /** Do the work, then cut the connection halfway through the response. */
  dropPercent: percent,
  /** Do the work, then wait `delayMs` before answering (a slow return path). */
  delayPercent: percent,
  delayMs: z.number().int().min(0).max(600_000),
  /** Store the whole batch but acknowledge only a random part of it. */
  partialAckPercent: percent,
  /** Do the work, then answer 200 with a body that is not JSON. */
  malformedPercent: percent,
  /** Do the work, then answer 200 with a body of `oversizedBytes`. */
  oversizedPercent: percent,
  oversizedBytes: z.number().int().min(1).max(256 * 1024 * 1024),
});
export type FaultConfig = z.infer<typeof FaultConfig>;

export const NO_FAULTS: FaultConfig = {
  failPercent: 0,
  dropPercent: 0,
  delayPercent: 0,
  delayMs: 0,
  partialAckPercent: 0,
  malformedPercent: 0,
  oversizedPercent: 0,
  oversizedBytes: 4 * 1024 * 1024,
};

export interface FaultPlan {
  fail: boolean;
  delayMs: number;
  /** How the response is spoiled after the work is done, if at all. */
  response: 'drop' | 'malformed' | 'oversized' | 'partial' | null;
}

/** Draws the faults of one request. `random` returns [0, 1). */
export function planFaults(config: FaultConfig, random: () => number, isBatch: boolean): FaultPlan {
  const hit = (pct: number): boolean => pct > 0 && random() * 100 < pct;
  const fail = hit(config.failPercent);
  const delayMs = hit(config.delayPercent) ? config.delayMs : 0;
  let response: FaultPlan['response'] = null;
  if (hit(config.dropPercent)) response = 'drop';
  else if (hit(config.malformedPercent)) response = 'malformed';
  else if (hit(config.oversizedPercent)) response = 'oversized';
  else if (isBatch && hit(config.partialAckPercent)) response = 'partial';
  return { fail, delayMs, response };
}

/** Picks the acknowledged part of a partial answer: each ack kept with even odds, at least one dropped. */
export function partialSubset<T>(acks: readonly T[], random: () => number): T[] {
  if (acks.length === 0) return [];
  const dropped = Math.floor(random() * acks.length);
  return acks.filter((_, index) => index !== dropped && random() < 0.5);
}
