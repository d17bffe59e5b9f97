import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** Per-visit display preferences: elderly mode (large type, high contrast). */
interface Preferences {
  elderly: boolean;
  /** The citizen's own choice (the header button): no announcement. */
  setElderly(on: boolean): void;
  /** Switched on by itself (a citizen of 70 or over placed her card): announced on screen and to screen readers. */
  elderlyAnnounced: boolean;
  switchOnElderlyForSenior(): void;
  dismissElderlyAnnouncement(): void;
}

const PreferencesContext = createContext<Preferences | undefined>(undefined);

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [elderly, setElderlyState] = useState(false);
  const [elderlyAnnounced, setElderlyAnnounced] = useState(false);
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);
  const setElderly = useCallback((on: boolean) => {
    setElderlyState(on);
    setElderlyAnnounced(false);
  }, []);
  const switchOnElderlyForSenior = useCallback(() => {
    setElderlyState(true);
    setElderlyAnnounced(true);
  }, []);
  const dismissElderlyAnnouncement = useCallback(() => setElderlyAnnounced(false), []);
  const value = useMemo(
    () => ({ elderly, setElderly, elderlyAnnounced, switchOnElderlyForSenior, dismissElderlyAnnouncement }),
    [elderly, setElderly, elderlyAnnounced, switchOnElderlyForSenior, dismissElderlyAnnouncement],
  );
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error('usePreferences outside PreferencesProvider');
  return value;
}
