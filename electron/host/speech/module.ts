import { ApiError, userMessage } from '../../contract/index.js';
import type { HostContext, HostModule } from '../module.js';
import type { SessionManager } from '../session/manager.js';
import { SpeechError, synthesizeWav, wavDataUrl, wavDurationMs, type EspeakOptions } from './espeak.js';

/**
 * The terminal's offline voice for the renderer (`speech.render`) and the
 * citizen's language (`session.locale`), which the voice and every text the
 * host composes for her follow.
 */
export function speechModule(ctx: HostContext, sessions: SessionManager, options: EspeakOptions = {}): HostModule {
  const logger = ctx.logger.child({ module: 'speech' });
  return {
    name: 'speech',
    handlers: {
      'speech.render': async ({ text, locale }) => {
        try {
          const wav = await synthesizeWav(text, locale, options);
          return { audio: wavDataUrl(wav), durationMs: wavDurationMs(wav) };
        } catch (error) {
          if (!(error instanceof SpeechError)) throw error;
          logger.warn({ reason: error.reason, err: error.message }, 'speech: espeak-ng could not render');
          throw new ApiError('unavailable', userMessage('speech.unavailable', {}), { reason: error.reason });
        }
      },
      'session.locale': ({ locale }) => {
        sessions.setLocale(locale);
        return { ok: true as const };
      },
    },
  };
}
