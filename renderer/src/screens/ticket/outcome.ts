import type { QueueCategoryView, QueuePrinted } from '../../../../electron/contract/index.js';

/**
 * The ticket screen's honest-outcome rules, as plain functions (tested in
 * outcome.test.ts): when the result may leave the screen by itself, and what
 * the header says about opening hours before the citizen chooses.
 */

/**
 * A printed ticket's result returns to the start by itself after a while;
 * when the paper copy failed the number exists only on screen, so it stays
 * until the citizen taps 完成.
 */
export function resultReturnsByItself(printed: QueuePrinted): boolean {
  return printed.ok;
}

/** The next opening to show in the header: when no category issues tickets now, the earliest next opening (ISO); otherwise null. */
export function hallClosedUntil(categories: readonly Pick<QueueCategoryView, 'issuing'>[]): string | null {
  if (categories.length === 0) return null;
  let earliest: string | null = null;
  for (const { issuing } of categories) {
    if (issuing.open) return null;
    if (earliest === null || Date.parse(issuing.nextOpening) < Date.parse(earliest)) earliest = issuing.nextOpening;
  }
  return earliest;
}

/** A next opening in the hall's time (UTC+8, what the hall's clocks show), in the citizen's language: "11月30日 周一 08:30" / "Mon 30 Nov, 08:30". */
export function formatOpening(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: language === 'en' ? 'short' : 'long',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}
