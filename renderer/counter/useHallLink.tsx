import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { QueueSnapshot, TicketEvent } from '../../hall/protocol/index.js';
import { connectHall, pageKeyFromLocation, rememberPageKey, type HallLink, type LinkState } from './hallClient.js';
import { KeyPrompt } from './KeyPrompt.js';

/**
 * What the counter and display pages share: the page key, the live link to
 * the hall service, and a hall snapshot refreshed (debounced) on connect and
 * after every event. `keyPrompt` is the screen to show while there is no
 * usable key.
 */
export function useHallLink(role: 'counter' | 'display', onEvent?: (event: TicketEvent) => void) {
  const [key, setKey] = useState(() => pageKeyFromLocation(role));
  const [state, setState] = useState<LinkState>('connecting');
  const [snapshot, setSnapshot] = useState<QueueSnapshot>();
  const link = useRef<HallLink>(undefined);
  const refreshTimer = useRef<number>(undefined);
  // The latest handler, without reconnecting when the page passes a new one.
  const eventHandler = useRef(onEvent);
  useEffect(() => {
    eventHandler.current = onEvent;
  }, [onEvent]);

  const refresh = useCallback(() => {
    if (refreshTimer.current !== undefined) return;
    refreshTimer.current = window.setTimeout(() => {
      refreshTimer.current = undefined;
      void link.current?.call('snapshot', {}).then((result) => {
        if (result.ok) setSnapshot(result.value);
      });
    }, 150);
  }, []);

  useEffect(() => {
    if (key === null) return;
    const connection = connectHall(role, key, {
      onState: (next) => {
        setState(next);
        if (next === 'open') refresh();
      },
      onEvent: (event) => {
        eventHandler.current?.(event);
        refresh();
      },
    });
    link.current = connection;
    return () => connection.close();
  }, [role, key, refresh]);

  const keyPrompt: ReactElement | null =
    key === null || state === 'unauthorized' ? (
      <KeyPrompt
        unauthorized={state === 'unauthorized'}
        onKey={(next) => {
          rememberPageKey(role, next);
          setState('connecting');
          setKey(next);
        }}
      />
    ) : null;

  return { setKey, state, snapshot, link, refresh, keyPrompt };
}
