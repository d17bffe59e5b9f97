import { useCallback, useEffect, useRef } from 'react';

/** Staff hold a finger on the hall name for this long to reach the staff screen; citizens do not do that by accident. */
export const STAFF_HOLD_MS = 3000;

/**
 * Pointer handlers that call `onHold` once a press has lasted `holdMs`
 * without being lifted or leaving the element. Spread them on the target.
 */
export function useLongPress(onHold: () => void, holdMs = STAFF_HOLD_MS) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancel = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
  }, []);
  const start = useCallback(() => {
    cancel();
    timer.current = setTimeout(() => {
      timer.current = undefined;
      onHold();
    }, holdMs);
  }, [cancel, onHold, holdMs]);
  useEffect(() => cancel, [cancel]);
  return {
    onPointerDown: start,
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
    // A long touch would otherwise open the browser's context menu.
    onContextMenu: (event: { preventDefault(): void }) => event.preventDefault(),
  };
}
