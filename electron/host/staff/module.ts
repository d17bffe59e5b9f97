import { ApiError } from '../../contract/index.js';
import type { HostContext, HostModule } from '../module.js';
import { StaffAccess } from './access.js';
import { LockoutStore } from '../storage/lockouts.js';

/**
 * The staff PIN session of this terminal. Staff-only methods of any module
 * (sync controls, dead letters, help requests) call `requireStaff()`, so the
 * PIN rule lives in one place.
 */
export interface StaffHostModule extends HostModule {
  /** Throws `refused` (details.reason 'staff') unless a staff PIN session is open. */
  requireStaff(): void;
}

export function staffModule(ctx: HostContext): StaffHostModule {
  const logger = ctx.logger.child({ module: 'staff' });
  // Every refused PIN is a log line (no PIN in it): the hall manager's view of guessing at this kiosk.
  const staff = new StaffAccess(ctx.config.staffPinHash, ctx.now, undefined, (failure) => logger.warn({ ...failure }, 'staff PIN refused'));
  return {
    name: 'staff',
    // A PIN lockout outlives a restart: pulling the plug must not give a guesser five fresh tries.
    async start() {
      const attempts = staff.attempts;
      if (attempts !== undefined) await (await LockoutStore.open(ctx.db, logger)).keep('kiosk-staff-pin', attempts, ctx.now);
    },
    requireStaff() {
      if (!staff.check()) throw new ApiError('refused', 'a staff PIN session is required', { reason: 'staff' });
    },
    handlers: {
      'staff.login': ({ pin }) => {
        const result = staff.login(pin);
        if (result.ok) {
          logger.info('staff session opened');
          return { expiresAt: result.expiresAt.toISOString() };
        }
        logger.warn({ reason: result.reason }, 'staff login refused');
        if (result.reason === 'off') throw new ApiError('refused', 'staff features are off (no staffPinHash configured)', { reason: 'off' });
        if (result.reason === 'locked') throw new ApiError('refused', 'too many wrong PINs; try again later', { reason: 'locked', retryAt: result.retryAt?.toISOString() });
        throw new ApiError('refused', 'wrong PIN', { reason: 'wrong' });
      },
      'staff.logout': () => {
        staff.logout();
        return { ok: true as const };
      },
    },
  };
}
