import { z } from 'zod';
import { method, ok } from './define.js';
import { Locale } from './system.js';

/**
 * The terminal's voice: the host renders speech offline (espeak-ng) and hands
 * the page a WAV as a data URL for an <audio> element, so 浏浏 speaks in
 * both shells whether or not the browser has a voice. The language the
 * citizen chose is told to the host once (`session.locale`), so replies,
 * tickets and receipts it composes follow it.
 */
export const SPOKEN_TEXT_MAX = 600;

export const SpokenAudio = z.object({
  /** `data:audio/wav;base64,…` */
  audio: z.string().startsWith('data:audio/wav;base64,'),
  durationMs: z.number().int().nonnegative(),
});
export type SpokenAudio = z.infer<typeof SpokenAudio>;

export const speechApi = {
  'speech.render': method(z.object({ text: z.string().trim().min(1).max(SPOKEN_TEXT_MAX), locale: Locale }).strict(), SpokenAudio),
  /** The language the citizen reads in; back to the terminal's default when her session ends. */
  'session.locale': method(z.object({ locale: Locale }).strict(), ok),
};

export const speechEvents = {};
