import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { TicketEvent } from '../../hall/protocol/index.js';
import { useHallLink } from '../counter/useHallLink.js';
import './display.css';

/**
 * The display board (叫号屏), served by the hall service at /display/: the
 * latest calls with their windows in large type, each call and recall
 * spoken ("请A023号到53号窗口办理") when the browser has a voice, and the
 * waiting count per category. Live from the hall service's ticket events.
 */
const ANNOUNCEMENTS_KEPT = 5;

export function announcementText(displayNo: string, windowNo: string): string {
  return `请${displayNo}号到${windowNo}号窗口办理`;
}

/** Speaks with a zh-CN voice when there is one; silently does nothing in a browser without speech or voices. */
function speak(text: string): void {
  if (!('speechSynthesis' in window)) return;
  const voices = window.speechSynthesis.getVoices();
  if (voices.length === 0) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  const voice = voices.find((v) => v.lang === 'zh-CN') ?? voices.find((v) => v.lang.startsWith('zh'));
  if (voice !== undefined) utterance.voice = voice;
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

function DisplayApp() {
  const [announcements, setAnnouncements] = useState<string[]>([]);
  const onEvent = useCallback(
    (event: TicketEvent) => {
      if ((event.kind === 'called' || event.kind === 'recalled') && event.windowNo !== null) {
        const text = announcementText(event.ticket.displayNo, event.windowNo);
        setAnnouncements((current) => [text, ...current].slice(0, ANNOUNCEMENTS_KEPT));
        speak(text);
      }
    },
    [],
  );
  const { state, snapshot, keyPrompt } = useHallLink('display', onEvent);

  if (keyPrompt !== null) return keyPrompt;

  const categoryName = new Map(snapshot?.categories.map((c) => [c.id, c.name]) ?? []);
  const [latest, ...earlier] = snapshot?.recentCalls ?? [];
  return (
    <main className="display" data-testid="display-page" data-link={state}>
      <section className="display-calls">
        <h1>叫号</h1>
        {latest === undefined ? (
          <p className="display-none">暂无叫号</p>
        ) : (
          <div className="display-latest" data-testid="display-latest">
            <span className="display-number">{latest.displayNo}</span>
            <span className="display-arrow">→</span>
            <span className="display-window">{latest.windowNo}号窗口</span>
          </div>
        )}
        <ul className="display-earlier" data-testid="display-calls">
          {earlier.map((call) => (
            <li key={`${call.displayNo}-${call.calledAt}`}>
              <span className="display-number-small">{call.displayNo}</span>
              <span>{call.windowNo}号窗口</span>
              <span className="display-category">{categoryName.get(call.categoryId) ?? ''}</span>
            </li>
          ))}
        </ul>
        <p className="display-announcement" aria-live="assertive" data-testid="display-announcement">
          {announcements[0] ?? ''}
        </p>
      </section>
      <aside className="display-waiting">
        <h2>等候人数</h2>
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
        {state !== 'open' && <p className="display-offline">正在连接叫号服务…</p>}
      </aside>
    </main>
  );
}

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <DisplayApp />
    </StrictMode>,
  );
}
