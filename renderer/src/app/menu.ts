import type { ScreenId } from './navigation.js';

/**
 * Where the header's "back to the menu" button goes from `screen`, or null
 * where it has no place. With a session (a citizen, or a walk-in who tapped
 * 开始) it is the menu and the session stays; without one (the staff screen)
 * it is the attract screen. Ending a session is 退出登录's job, the idle
 * timeout's or the card reader's (per config) — never this button's.
 */
export function menuTarget(screen: ScreenId, hasSession: boolean): ScreenId | null {
  if (screen === 'attract' || screen === 'home') return null;
  return hasSession ? 'home' : 'attract';
}
