import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CardReaderNotice, SessionView } from '../../../electron/contract/index.js';
import { useApi, useEvent } from './api.js';
import { useNavigation } from './navigation.js';
import { usePreferences } from './preferences.js';

/**
 * The renderer's mirror of the host's session: who is logged in (masked),
 * the idle countdown, and the card reader's latest notice. The host owns the
 * timer; every touch here tells it the citizen is still there.
 */
interface SessionState {
  session: SessionView | null;
  countdown: number | null;
  notice: CardReaderNotice | null;
  begin(): Promise<void>;
  logout(): Promise<void>;
  dismissNotice(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);
const TOUCH_THROTTLE_MS = 2000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { navigate, screen } = useNavigation();
  const [session, setSession] = useState<SessionView | null>(null);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [notice, setNotice] = useState<CardReaderNotice | null>(null);
  const lastTouch = useRef(0);
  const { switchOnElderlyForSenior } = usePreferences();

  useEffect(() => {
    void api.call('session.current', {}).then((result) => {
      if (result.ok) setSession(result.value);
    });
  }, [api]);

  useEvent(
    'session.changed',
    useCallback(
      ({ session: next, reason }) => {
        setSession(next);
        setCountdown(null);
        if (next === null) {
          setNotice(null);
          navigate('attract');
        } else if (reason === 'card') {
          setNotice(null);
          if (next.senior) switchOnElderlyForSenior();
          if (screen === 'attract') navigate('home');
        }
      },
      [navigate, screen, switchOnElderlyForSenior],
    ),
  );
  useEvent('session.countdown', useCallback(({ secondsLeft }) => setCountdown(secondsLeft), []));
  // `read` (the logged-in citizen's own card again) only ends a `reading` notice; it shows nothing itself.
  useEvent(
    'card.notice',
    useCallback((next) => setNotice((current) => (next.state !== 'read' ? next : current?.state === 'reading' ? null : current)), []),
  );

  useEffect(() => {
    if (!session) return;
    const onTouch = (): void => {
      const now = Date.now();
      if (now - lastTouch.current < TOUCH_THROTTLE_MS && countdown === null) return;
      lastTouch.current = now;
      setCountdown(null);
      void api.call('session.touch', {});
    };
    window.addEventListener('pointerdown', onTouch, { capture: true });
    window.addEventListener('keydown', onTouch, { capture: true });
    return () => {
      window.removeEventListener('pointerdown', onTouch, { capture: true });
      window.removeEventListener('keydown', onTouch, { capture: true });
    };
  }, [api, session, countdown]);

  const begin = useCallback(async () => {
    const result = await api.call('session.begin', {});
    if (result.ok) setSession(result.value);
  }, [api]);
  const logout = useCallback(async () => {
    await api.call('session.end', { reason: 'logout' });
  }, [api]);
  const dismissNotice = useCallback(() => setNotice(null), []);

  const value = useMemo(() => ({ session, countdown, notice, begin, logout, dismissNotice }), [session, countdown, notice, begin, logout, dismissNotice]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
