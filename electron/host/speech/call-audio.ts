import type { ServerResponse } from 'node:http';
import { synthesizeWav, type EspeakOptions, type SpeechLocale } from './espeak.js';

/**
 * The display board's spoken calls, served by the hall service as
 * `GET /speech/call.wav?no=A023&window=53&lang=zh-CN`: the board sets that URL
 * on its <audio> element, so a wall screen's browser needs no voice of its
 * own. Only a ticket number and a window number are accepted (nothing else
 * can be made to speak), and recent renders are kept, as every board in the
 * hall asks for the same call at once.
 */
export const CALL_AUDIO_PATH = '/speech/call.wav';

const TICKET_NUMBER = /^[A-Z]\d{3,4}$/;
const WINDOW_NUMBER = /^\d{1,3}$/;
const CACHED = 32;

export function callAnnouncement(displayNo: string, windowNo: string, locale: SpeechLocale): string {
  return locale === 'en' ? `Number ${displayNo}, please go to window ${windowNo}.` : `请${displayNo}号到${windowNo}号窗口办理`;
}

export interface CallAudio {
  /** Answers the request when its path is the call audio's; false = not ours. */
  handle(url: { readonly pathname: string; readonly searchParams: URLSearchParams }, res: ServerResponse): boolean;
}

export function callAudio(options: EspeakOptions & { onError?: (error: Error) => void } = {}): CallAudio {
  const cache = new Map<string, Promise<Buffer>>();
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
      let rendering = cache.get(key);
      if (rendering === undefined) {
        rendering = synthesizeWav(callAnnouncement(displayNo, windowNo, locale), locale, options);
        cache.set(key, rendering);
        if (cache.size > CACHED) cache.delete(cache.keys().next().value as string);
        rendering.catch(() => cache.delete(key));
      }
      rendering.then(
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
