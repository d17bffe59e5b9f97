import { StrictMode, useCallback, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createHallI18n, switchLocale } from '../counter/i18n.js';
import { createRoot } from 'react-dom/client';
import type { TicketEvent } from '../../hall/protocol/index.js';
import { useHallLink } from '../counter/useHallLink.js';
import './display.css';

/**
 * The display board (叫号屏), served by the hall service at /display/: the
 * latest calls with their windows in large type, each call and recall
 * spoken ("请A023号到53号窗口办理") when the browser has a voice, and the
 * waiting count per category. Live from the hall service's ticket events;
 * during an outage of the service it says so and reconnects by itself.
 * zh-CN and English (strings in renderer/counter/i18n/).
 */
const ANNOUNCEMENTS_KEPT = 5;

/** Speaks in the page's language when the browser has such a voice; silently does nothing otherwise. */
function speak(text: string, lang: string): void {
  if (!('speechSynthesis' in window)) return;
  const voices = window.speechSynthesis.getVoices();
  if (voices.length === 0) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang;
  const voice = voices.find((v) => v.lang === lang) ?? voices.find((v) => v.lang.startsWith(lang.slice(0, 2)));
  if (voice !== undefined) utterance.voice = voice;
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

function DisplayApp() {
  const { t, i18n } = useTranslation();
  const [announcements, setAnnouncements] = useState<string[]>([]);
  const onEvent = useCallback(
    (event: TicketEvent) => {
      if ((event.kind === 'called' || event.kind === 'recalled') && event.windowNo !== null) {
        const text = t('display.announce', { no: event.ticket.displayNo, windowNo: event.windowNo });
        setAnnouncements((current) => [text, ...current].slice(0, ANNOUNCEMENTS_KEPT));
        speak(text, i18n.language);
      }
    },
    [t, i18n],
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
