/**
 * Card-presence debounce (spec §3 step 6) as a pure state machine: after a
 * card was read (or refused), the reader must report it gone on
 * `removalPolls` consecutive finds before the next card is accepted, so one
 * card is never read twice and a flicker in the RF field is not a removal.
 */

export type Presence = { phase: 'armed' } | { phase: 'awaiting-removal'; absentPolls: number };

export const ARMED: Presence = { phase: 'armed' };
export const AWAITING_REMOVAL: Presence = { phase: 'awaiting-removal', absentPolls: 0 };

export interface PresenceStep {
  presence: Presence;
  /** The card finally left: emit the removal and accept the next card. */
  removed: boolean;
  /** A card is in the field and may be read now. */
  readNow: boolean;
}

export function onFindResult(presence: Presence, cardFound: boolean, removalPolls: number): PresenceStep {
  if (presence.phase === 'armed') return { presence, removed: false, readNow: cardFound };
  if (cardFound) return { presence: AWAITING_REMOVAL, removed: false, readNow: false };
  const absentPolls = presence.absentPolls + 1;
  if (absentPolls >= removalPolls) return { presence: ARMED, removed: true, readNow: false };
  return { presence: { phase: 'awaiting-removal', absentPolls }, removed: false, readNow: false };
}
