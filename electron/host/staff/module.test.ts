import { afterEach, describe, expect, it } from 'vitest';
import { moduleHarness } from '../../../tests/support/host.js';
import { hashPin } from './credentials.js';
import { staffModule } from './module.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('staff module', () => {
  it('keeps the PIN lockout across a restart of the host: a pulled plug gives a guesser no fresh tries', async () => {
    const harness = await moduleHarness(cleanups);
    const context = { ...harness.context, config: { ...harness.context.config, staffPinHash: hashPin('2468') } };
    const first = await harness.serve(staffModule(context));
    for (const pin of ['0000', '1111', '2222', '3333', '4444']) await first.call('staff.login', { pin });
    const locked = await first.call('staff.login', { pin: '2468' });
    expect(locked.ok ? null : locked.error).toMatchObject({ code: 'refused', details: { reason: 'locked' } });

    // The module again on the same database, as after a restart (the database runs statements in order: the save comes first).
    const restarted = await harness.serve(staffModule(context));
    const again = await restarted.call('staff.login', { pin: '2468' });
    expect(again.ok ? null : again.error).toMatchObject({ code: 'refused', details: { reason: 'locked' } });
  });
});
