import { StrictMode, useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createHallI18n, switchLocale } from '../counter/i18n.js';
import { createRoot } from 'react-dom/client';
import type { TicketEvent } from '../../hall/protocol/index.js';
import { useHallLink } from '../counter/useHallLink.js';
import './display.css';

/**
 * The display board (叫号屏), served by the hall service at /display/: the
 * latest calls with their windows in large type, each call and recall
 * spoken ("请A023号到53号窗口办理") in the hall service's own offline voice, and the
 * waiting count per category. Live from the hall service's ticket events;
 * during an outage of the service it says so and reconnects by itself.
 * zh-CN and English (strings in renderer/counter/i18n/).
 */
const ANNOUNCEMENTS_KEPT = 5;

/** The URL of a call's spoken announcement on the hall service (same origin as this page): the hall's own offline voice (espeak-ng), so the board's browser needs no voice. */
export function callAudioUrl(displayNo: string, windowNo: string, language: string): string {
  const query = new URLSearchParams({ no: displayNo, window: windowNo, lang: language === 'en' ? 'en' : 'zh-CN' });
  return `/speech/call.wav?${query.toString()}`;
}

/** Calls are spoken one after another, never over each other. */
function useCallVoice(): { audioRef: RefObject<HTMLAudioElement | null>; announce: (url: string) => void } {
  const audioRef = useRef<HTMLAudioElement>(null);
  const queue = useRef<string[]>([]);
  const playNext = useCallback(() => {
    const audio = audioRef.current;
    const next = queue.current[0];
    if (audio === null || next === undefined) return;
    audio.src = next;
    // Without --autoplay-policy=no-user-gesture-required the browser may refuse until a first tap: the board still shows the call.
    audio.play().catch(() => {
      // A media error also fires 'error', which moves the queue on; a refused autoplay does not.
      if (audio.error === null) queue.current.shift();
    });
  }, []);
  useEffect(() => {
    const audio = audioRef.current;
    if (audio === null) return;
    const done = (): void => {
      queue.current.shift();
      playNext();
    };
    const played = (): void => {
      audio.dataset.played = String(Number(audio.dataset.played ?? '0') + 1);
    };
    audio.addEventListener('ended', done);
    audio.addEventListener('error', done);
    audio.addEventListener('playing', played);
    return () => {
      audio.removeEventListener('ended', done);
      audio.removeEventListener('error', done);
      audio.removeEventListener('playing', played);
    };
  }, [playNext]);
  const announce = useCallback(
    (url: string) => {
      queue.current.push(url);
      if (queue.current.length === 1) playNext();
    },
    [playNext],
  );
  return { audioRef, announce };
}

function DisplayApp() {
  const { t, i18n } = useTranslation();
  const [announcements, setAnnouncements] = useState<string[]>([]);
  const { audioRef, announce } = useCallVoice();
  const onEvent = useCallback(
    (event: TicketEvent) => {
      if ((event.kind === 'called' || event.kind === 'recalled') && event.windowNo !== null) {
        const text = t('display.announce', { no: event.ticket.displayNo, windowNo: event.windowNo });
        setAnnouncements((current) => [text, ...current].slice(0, ANNOUNCEMENTS_KEPT));
        announce(callAudioUrl(event.ticket.displayNo, event.windowNo, i18n.language));
      }
    },
    [t, i18n, announce],
  );
  const { state, snapshot, keyPrompt } = useHallLink('display', onEvent);

  if (keyPrompt !== null) return keyPrompt;

  const categoryName = new Map(snapshot?.categories.map((c) => [c.id, c.name]) ?? []);
  const [latest, ...earlier] = snapshot?.recentCalls ?? [];
  return (
    <main className="display" data-testid="display-page" data-link={state}>
      <section className="display-calls">
        <h1>{t('display.calls')}</h1>
        {latest === undefined ? (
          <p className="display-none">{t('display.none')}</p>
        ) : (
          <div className="display-latest" data-testid="display-latest">
            <span className="display-number">{latest.displayNo}</span>
            <span className="display-arrow">→</span>
            <span className="display-window">{t('display.window', { windowNo: latest.windowNo })}</span>
          </div>
        )}
        <ul className="display-earlier" data-testid="display-calls">
          {earlier.map((call) => (
            <li key={`${call.displayNo}-${call.calledAt}`}>
              <span className="display-number-small">{call.displayNo}</span>
              <span>{t('display.window', { windowNo: call.windowNo })}</span>
              <span className="display-category">{categoryName.get(call.categoryId) ?? ''}</span>
            </li>
          ))}
        </ul>
        <p className="display-announcement" aria-live="assertive" data-testid="display-announcement">
          {announcements[0] ?? ''}
        </p>
        <audio ref={audioRef} data-testid="display-voice" preload="auto" />
      </section>
      <aside className="display-waiting">
        <h2>{t('display.waiting')}</h2>
        <table>
          <tbody>
            {snapshot?.categories.map((c) => (
              <tr key={c.id} data-testid={`display-waiting-${c.id}`}>
                <td className="display-prefix">{c.prefix}</td>
                <td>{c.name}</td>
                <td className="display-count">{c.waiting}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {state !== 'open' && (
          <p className="display-offline" role="alert" data-testid="display-outage">
            {t('outage')}
          </p>
        )}
        <button type="button" className="display-language" onClick={() => switchLocale(i18n)}>
          {t('language')}
        </button>
      </aside>
    </main>
  );
}

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={createHallI18n()}>
        <DisplayApp />
      </I18nextProvider>
    </StrictMode>,
  );
}
