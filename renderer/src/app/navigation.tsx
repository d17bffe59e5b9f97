import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * Screen navigation without URLs: a kiosk has no address bar, and a state
 * machine makes "back to the start" one call from anywhere.
 */
export type ScreenId = 'attract' | 'home' | 'ticket' | 'appointment' | 'robot' | 'guide' | 'apply' | 'progress' | 'feedback' | 'staff';

export interface Navigation {
  screen: ScreenId;
  /** Optional argument for the screen (e.g. a service id the robot pointed to). */
  arg: string | undefined;
  navigate(screen: ScreenId, arg?: string): void;
}

const NavigationContext = createContext<Navigation | undefined>(undefined);

export function NavigationProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ screen: ScreenId; arg: string | undefined }>({ screen: 'attract', arg: undefined });
  const navigate = useCallback((screen: ScreenId, arg?: string) => setState({ screen, arg }), []);
  const value = useMemo(() => ({ ...state, navigate }), [state, navigate]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside NavigationProvider');
  return value;
}
