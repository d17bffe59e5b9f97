/**
 * Pure rules of a citizen session: idle phases (age: electron/common/age.ts; the hall's day: electron/common/hall-time.ts). No timers,
 * no I/O — the session module feeds them the clock.
 */

export type IdlePhase = { phase: 'active' } | { phase: 'countdown'; secondsLeft: number } | { phase: 'expired' };

/**
 * Where a session stands after `idleMs` without a touch: active until the
 * last `countdownSeconds` of `timeoutSeconds`, then counting down, then
 * expired.
 */
export function idlePhase(idleMs: number, timeoutSeconds: number, countdownSeconds: number): IdlePhase {
  const leftMs = timeoutSeconds * 1000 - idleMs;
  if (leftMs <= 0) return { phase: 'expired' };
  if (leftMs <= countdownSeconds * 1000) return { phase: 'countdown', secondsLeft: Math.ceil(leftMs / 1000) };
  return { phase: 'active' };
}
