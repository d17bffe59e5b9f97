import { useCallback, useEffect, useState } from 'react';

/**
 * 浏浏's voice: the browser's speechSynthesis with a Chinese voice. Many
 * kiosks (and headless browsers) have none; then `available` is false and
 * speaking does nothing — the screen shows everything it says anyway.
 */
function chineseVoice(): SpeechSynthesisVoice | undefined {
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return undefined;
  return window.speechSynthesis.getVoices().find((voice) => voice.lang.replace('_', '-').toLowerCase().startsWith('zh'));
}

export function useSpeech(): { available: boolean; muted: boolean; setMuted: (muted: boolean) => void; speak: (text: string) => void } {
  const [voice, setVoice] = useState<SpeechSynthesisVoice | undefined>(chineseVoice);
  const [muted, setMutedState] = useState(false);

  useEffect(() => {
    if (typeof window === 'undefined' || !('speechSynthesis' in window)) return;
    // Voices load asynchronously in Chromium.
    const update = (): void => setVoice(chineseVoice());
    window.speechSynthesis.addEventListener('voiceschanged', update);
    return () => {
      window.speechSynthesis.removeEventListener('voiceschanged', update);
      window.speechSynthesis.cancel();
    };
  }, []);

  const speak = useCallback(
    (text: string) => {
      if (muted || voice === undefined || text === '') return;
      window.speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      window.speechSynthesis.speak(utterance);
    },
    [muted, voice],
  );

  const setMuted = useCallback(
    (next: boolean) => {
      setMutedState(next);
      if (next && voice !== undefined) window.speechSynthesis.cancel();
    },
    [voice],
  );

  return { available: voice !== undefined, muted, setMuted, speak };
}
