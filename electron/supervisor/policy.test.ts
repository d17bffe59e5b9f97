import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random.js';
import type { RestartLog } from '../contract/index.js';
import { type PartHistory, DEFAULT_POLICY, FRESH_PART, afterAlive, afterFailure, afterStart, appendRestart, describeExit, hostEnvironment, isSilent, mayFeedWatchdog, pageRemedy } from './policy.js';

const policy = DEFAULT_POLICY;
const random = seededRandom(7);

describe('restart backoff', () => {
  it('restarts at once after a stable run, then backs off while the part keeps crashing', () => {
    let history = afterStart(FRESH_PART, 0);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      now += 2_000; // dies two seconds after each start: a crash loop
      const next = afterFailure(history, now, policy, random);
      delays.push(next.delayMs);
      now += next.delayMs;
      history = afterStart(next.history, now);
    }
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBeGreaterThanOrEqual(500);
    expect(delays[1]).toBeLessThan(1_000);
    for (let i = 1; i < delays.length; i++) {
      const ceiling = Math.min(policy.backoff.maxMs, policy.backoff.baseMs * 2 ** (i - 1));
      expect(delays[i]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delays[i]).toBeLessThan(ceiling);
    }
    expect(Math.max(...delays)).toBeLessThan(policy.backoff.maxMs);
    expect(history.failures).toBe(8);
  });

  it('forgets the crash loop once the part has run for stableAfterMs', () => {
    let history: PartHistory = { failures: 6, startedAt: 1_000, downSince: undefined };
    const next = afterFailure(history, 1_000 + policy.stableAfterMs, policy, random);
    expect(next.delayMs).toBe(0);
    expect(next.history.failures).toBe(1);
    history = afterStart(next.history, 2_000_000);
    expect(history.startedAt).toBe(2_000_000);
  });
});

describe('liveness', () => {
  it('counts silence from the last beat, or from the start plus the grace before the first one', () => {
    expect(isSilent(10_000, 0, 15_000, 6_000, 15_000)).toBe(false);
    expect(isSilent(10_000, 0, 16_001, 6_000, 15_000)).toBe(true);
    expect(isSilent(undefined, 0, 20_000, 6_000, 15_000)).toBe(false);
    expect(isSilent(undefined, 0, 21_001, 6_000, 15_000)).toBe(true);
    // a beat from the previous run does not count for the new one
    expect(isSilent(5_000, 8_000, 20_000, 6_000, 15_000)).toBe(false);
  });

  it('reloads a dead page, then relaunches the window when reloading does not bring it back', () => {
    expect(pageRemedy(0, policy)).toBe('reload');
    expect(pageRemedy(1, policy)).toBe('reload');
    expect(pageRemedy(2, policy)).toBe('relaunch');
  });

  it('stops feeding the systemd watchdog when a part stays down too long, and resumes once it is alive', () => {
    const down = afterFailure(afterStart(FRESH_PART, 0), 1_000, policy, random).history;
    expect(mayFeedWatchdog([down, FRESH_PART], 1_000 + policy.maxDownMs - 1, policy)).toBe(true);
    expect(mayFeedWatchdog([down, FRESH_PART], 1_000 + policy.maxDownMs, policy)).toBe(false);
    expect(mayFeedWatchdog([afterAlive(down)], 10 * policy.maxDownMs, policy)).toBe(true);
  });
});

describe('restart record', () => {
  it('keeps the newest entries only', () => {
    let log: RestartLog = { supervisorStartedAt: '2026-01-01T00:00:00.000Z', restarts: [] };
    for (let i = 0; i < policy.recordCap + 5; i++) log = appendRestart(log, { at: String(i), part: 'host', reason: 'killed by SIGKILL', action: 'restart', delayMs: 0 }, policy);
    expect(log.restarts).toHaveLength(policy.recordCap);
    expect(log.restarts[0]?.at).toBe('5');
    expect(log.restarts.at(-1)?.at).toBe(String(policy.recordCap + 4));
  });

  it('describes how a child ended in plain words', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('killed by SIGKILL');
    expect(describeExit(3, null)).toBe('exited with code 3');
  });
});

describe('the host environment', () => {
  it('caps glibc malloc arenas (native memory grew by fragmentation) unless the hall set its own', () => {
    expect(hostEnvironment({ PATH: '/usr/bin' })).toEqual({ PATH: '/usr/bin', MALLOC_ARENA_MAX: '2' });
    expect(hostEnvironment({ MALLOC_ARENA_MAX: '4' })['MALLOC_ARENA_MAX']).toBe('4');
  });
});
