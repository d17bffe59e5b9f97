import type { ReactNode } from 'react';

/**
 * A row of large tab buttons (按部门 / 按主题 / …) — the one tab pattern every
 * screen uses, so touch size, selection styling and test ids stay alike.
 */
export function TabBar<T extends string>({
  tabs,
  selected,
  onSelect,
  label,
  testIdPrefix,
  className = '',
  children,
}: {
  tabs: ReadonlyArray<T>;
  selected: T;
  onSelect: (tab: T) => void;
  label: (tab: T) => string;
  testIdPrefix: string;
  className?: string;
  /** Extra buttons after the tabs (e.g. 我的排队号). */
  children?: ReactNode;
}) {
  // Extra buttons sit beside the tab list, not in it: a tab list holds tabs only.
  return (
    <div className={`tab-bar ${className}`}>
      <div className="tab-bar-tabs" role="tablist">
        {tabs.map((id) => (
          <button
            type="button"
            role="tab"
            key={id}
            aria-selected={selected === id}
            className={`touch tab-bar-tab${selected === id ? ' primary' : ''}`}
            onClick={() => onSelect(id)}
            data-testid={`${testIdPrefix}-${id}`}
          >
            {label(id)}
          </button>
        ))}
      </div>
      {children}
    </div>
  );
}
