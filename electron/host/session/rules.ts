/**
 * Pure rules of a citizen session: age, seniority, idle phases. No timers,
 * no I/O — the session module feeds them the clock.
 */

/** Age in whole years on `today` (both YYYY-MM-DD or YYYYMMDD), in the hall's calendar. */
export function ageOn(birthDate: string, today: string): number {
  const b = birthDate.replace(/-/g, '');
  const t = today.replace(/-/g, '');
  const years = Number(t.slice(0, 4)) - Number(b.slice(0, 4));
  return t.slice(4) >= b.slice(4) ? years : years - 1;
}

export const SENIOR_AGE = 70;

/** The hall's calendar date (Asia/Shanghai, UTC+8 all year) as YYYY-MM-DD. */
export function hallDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

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
