import { z } from 'zod';
import { method, noParams, ok } from './define.js';
import { UserMessage } from './messages.js';

/**
 * A visit at the terminal: anonymous (tapped start) or a citizen's (ID card).
 * The renderer only ever sees masked identity; the full record stays in the
 * host's memory for prefilling forms and is wiped when the session ends.
 */
export const SessionView = z.object({
  id: z.string(),
  kind: z.enum(['anonymous', 'citizen']),
  /** 张*丰 */
  maskedName: z.string().optional(),
  /** 430181********1239 */
  maskedIdNumber: z.string().optional(),
  age: z.number().int().nonnegative().optional(),
  gender: z.enum(['male', 'female', 'unknown']).optional(),
  /** Aged 70 or over: priority queue ticket, elderly mode offered. */
  senior: z.boolean(),
  startedAt: z.string(),
  idleTimeoutSeconds: z.number().int().positive(),
  countdownSeconds: z.number().int().positive(),
});
export type SessionView = z.infer<typeof SessionView>;

export const SessionEndReason = z.enum(['logout', 'timeout', 'card-removed', 'replaced', 'shutdown']);
export type SessionEndReason = z.infer<typeof SessionEndReason>;

/**
 * What the card reader is doing, in words for the citizen. `reading` is shown
 * while a card is being read; it is replaced by the outcome: a session start
 * (`session.changed`), a problem notice, or `read` (the card of the citizen
 * already logged in was read again: nothing to say, the notice goes away).
 */
export const CardReaderNotice = z.object({
  state: z.enum(['reading', 'read', 'refused', 'failed', 'busy', 'removed', 'unavailable']),
  say: UserMessage,
});
export type CardReaderNotice = z.infer<typeof CardReaderNotice>;

export const DemoCard = z.object({ id: z.string(), label: z.string() });

export const sessionApi = {
  'session.current': method(noParams, SessionView.nullable()),
  /** Start an anonymous visit (the start button); returns the running session if there is one. */
  'session.begin': method(noParams, SessionView),
  /** Any touch: resets the idle timer and cancels a running countdown. */
  'session.touch': method(noParams, ok),
  'session.end': method(z.object({ reason: z.literal('logout') }).strict(), ok),
  /** Developer panel (config developerMode): drive the ID-card reader simulator. */
  'dev.idcard.cards': method(noParams, z.array(DemoCard)),
  'dev.idcard.place': method(z.object({ cardId: z.string().max(64) }).strict(), ok),
  'dev.idcard.remove': method(noParams, ok),
};

export const sessionEvents = {
  'session.changed': z.object({ session: SessionView.nullable(), reason: z.union([SessionEndReason, z.enum(['card', 'start'])]) }),
  /** Seconds left before the idle timeout ends the session; null = countdown cancelled. */
  'session.countdown': z.object({ secondsLeft: z.number().int().nonnegative().nullable() }),
  'card.notice': CardReaderNotice,
};
