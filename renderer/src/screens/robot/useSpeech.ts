import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SPOKEN_TEXT_MAX, type Locale } from '../../../../electron/contract/index.js';
import { useApi } from '../../app/api.js';

/**
 * 浏浏's voice: the host renders the words offline (espeak-ng, `speech.render`)
 * and this page plays the WAV through one <audio> element, so the robot
 * speaks in both shells whether or not the browser has a voice. A newer
 * sentence cuts off the one still playing; muting stops it at once. When the
 * host has no synthesiser `available` turns false and the screen, which shows
 * everything said anyway, stays silent.
 */
const VOICE_ELEMENT_ID = 'liuliu-voice';

/** The page's one voice element (kept in the DOM so staff tools and tests can see what was last said). */
function voiceElement(): HTMLAudioElement {
  const existing = document.getElementById(VOICE_ELEMENT_ID);
  if (existing instanceof HTMLAudioElement) return existing;
  const audio = document.createElement('audio');
  audio.id = VOICE_ELEMENT_ID;
  audio.dataset.testid = 'voice';
  audio.preload = 'auto';
  audio.addEventListener('playing', () => {
    audio.dataset.played = String(Number(audio.dataset.played ?? '0') + 1);
  });
  document.body.appendChild(audio);
  return audio;
}

function localeOf(language: string): Locale {
  return language === 'en' ? 'en' : 'zh-CN';
}

export function useSpeech(): { available: boolean; muted: boolean; setMuted: (muted: boolean) => void; speak: (text: string) => void } {
  const api = useApi();
  const { i18n } = useTranslation();
  const [available, setAvailable] = useState(true);
  const [muted, setMutedState] = useState(false);
  const latest = useRef(0);

  useEffect(
    () => () => {
      latest.current += 1;
      const audio = document.getElementById(VOICE_ELEMENT_ID);
      if (audio instanceof HTMLAudioElement) audio.pause();
    },
    [],
  );

  const speak = useCallback(
    (text: string) => {
      const words = text.trim().slice(0, SPOKEN_TEXT_MAX);
      if (muted || words === '') return;
      const ticket = ++latest.current;
      void api.call('speech.render', { text: words, locale: localeOf(i18n.language) }).then((result) => {
        if (ticket !== latest.current) return; // something newer was said, or the screen closed
        if (!result.ok) {
          setAvailable(false);
          return;
        }
        setAvailable(true);
        const audio = voiceElement();
        audio.src = result.value.audio;
        // Autoplay may be refused before the first touch; the words are on screen anyway.
        audio.play().catch(() => undefined);
      });
    },
    [api, muted, i18n.language],
  );

  const setMuted = useCallback((next: boolean) => {
    setMutedState(next);
    if (!next) return;
    latest.current += 1;
    const audio = document.getElementById(VOICE_ELEMENT_ID);
    if (audio instanceof HTMLAudioElement) audio.pause();
  }, []);

  return { available, muted, setMuted, speak };
}
