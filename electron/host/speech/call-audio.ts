import type { ServerResponse } from 'node:http';
import { synthesizeWav, type EspeakOptions, type SpeechLocale } from './espeak.js';

/**
 * The display board's spoken calls, served by the hall service as
 * `GET /speech/call.wav?no=A023&window=53&lang=zh-CN`: the board sets that URL
 * on its <audio> element, so a wall screen's browser needs no voice of its
 * own. Only a ticket number and a window number are accepted (nothing else
 * can be made to speak), and recent renders are kept, as every board in the
 * hall asks for the same call at once. The path needs no key (an <audio>
 * element sends none), so renders are bounded: at most `maxRendering`
 * espeak-ng processes at once and `maxWaiting` queued; past that the answer
 * is 503 with Retry-After — a stranger asking for a million different calls
 * gets refusals, not a million processes.
 */
export const CALL_AUDIO_PATH = '/speech/call.wav';

const TICKET_NUMBER = /^[A-Z]\d{3,4}$/;
const WINDOW_NUMBER = /^\d{1,3}$/;
const CACHED = 32;
const MAX_RENDERING = 2;
const MAX_WAITING = 16;

export function callAnnouncement(displayNo: string, windowNo: string, locale: SpeechLocale): string {
  return locale === 'en' ? `Number ${displayNo}, please go to window ${windowNo}.` : `请${displayNo}号到${windowNo}号窗口办理`;
}

export interface CallAudio {
  /** Answers the request when its path is the call audio's; false = not ours. */
  handle(url: { readonly pathname: string; readonly searchParams: URLSearchParams }, res: ServerResponse): boolean;
}

export function callAudio(options: EspeakOptions & { onError?: (error: Error) => void; maxRendering?: number; maxWaiting?: number } = {}): CallAudio {
  const cache = new Map<string, Promise<Buffer>>();
  const maxRendering = options.maxRendering ?? MAX_RENDERING;
  const maxWaiting = options.maxWaiting ?? MAX_WAITING;
  let rendering = 0;
  const waiting: Array<() => void> = [];
  /** A render slot: now, queued, or null when the queue is full. */
  const slot = (): Promise<void> | null => {
    if (rendering < maxRendering) {
      rendering += 1;
      return Promise.resolve();
    }
    if (waiting.length >= maxWaiting) return null;
    return new Promise((resolve) =>
      waiting.push(() => {
        rendering += 1;
        resolve();
      }),
    );
  };
  const release = (): void => {
    rendering -= 1;
    waiting.shift()?.();
  };
  return {
    handle(url, res) {
      if (url.pathname !== CALL_AUDIO_PATH) return false;
      const displayNo = url.searchParams.get('no') ?? '';
      const windowNo = url.searchParams.get('window') ?? '';
      const locale: SpeechLocale = url.searchParams.get('lang') === 'en' ? 'en' : 'zh-CN';
      if (!TICKET_NUMBER.test(displayNo) || !WINDOW_NUMBER.test(windowNo)) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('no= must be a ticket number (A023) and window= a window number (53)');
        return true;
      }
      const key = `${locale}|${displayNo}|${windowNo}`;
      let render = cache.get(key);
      if (render === undefined) {
        const gate = slot();
        if (gate === null) {
          res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' }).end('busy: too many calls being rendered');
          return true;
        }
        render = gate.then(() => synthesizeWav(callAnnouncement(displayNo, windowNo, locale), locale, options)).finally(release);
        cache.set(key, render);
        if (cache.size > CACHED) cache.delete(cache.keys().next().value as string);
        render.catch(() => cache.delete(key));
      }
      render.then(
        (wav) => res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length, 'cache-control': 'public, max-age=3600' }).end(wav),
        (error: Error) => {
          options.onError?.(error);
          res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('speech is not available on the hall service (install espeak-ng)');
        },
      );
      return true;
    },
  };
}
