import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** Per-visit display preferences: elderly mode (large type, high contrast). */
interface Preferences {
  elderly: boolean;
  setElderly(on: boolean): void;
}

const PreferencesContext = createContext<Preferences | undefined>(undefined);

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [elderly, setElderly] = useState(false);
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);
  const value = useMemo(() => ({ elderly, setElderly }), [elderly]);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error('usePreferences outside PreferencesProvider');
  return value;
}
