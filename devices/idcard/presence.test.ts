import { describe, expect, it } from 'vitest';
import { ARMED, AWAITING_REMOVAL, onFindResult } from './presence.js';
import type { Presence } from './presence.js';

describe('card presence debounce', () => {
  it('reads a card only when armed', () => {
    expect(onFindResult(ARMED, true, 2)).toEqual({ presence: ARMED, removed: false, readNow: true });
    expect(onFindResult(ARMED, false, 2)).toEqual({ presence: ARMED, removed: false, readNow: false });
    expect(onFindResult(AWAITING_REMOVAL, true, 2).readNow).toBe(false);
  });

  it('reports removal after N consecutive empty finds, and a flicker restarts the count', () => {
    let presence: Presence = AWAITING_REMOVAL;
    let step = onFindResult(presence, false, 3);
    expect(step.removed).toBe(false);
    presence = onFindResult(step.presence, true, 3).presence;
    expect(presence).toEqual(AWAITING_REMOVAL);
    for (let i = 1; i <= 3; i++) {
      step = onFindResult(presence, false, 3);
      presence = step.presence;
      expect(step.removed).toBe(i === 3);
    }
    expect(presence).toEqual(ARMED);
  });
});
