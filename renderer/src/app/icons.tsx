/**
 * Line icons drawn inline, so the kiosk never depends on an emoji font being
 * installed. 24-unit viewBox, stroke = currentColor.
 */
const PATHS: Record<string, string> = {
  idcard: 'M3 5h18v14H3z M7 10a2 2 0 1 0 4 0a2 2 0 1 0 -4 0 M5.5 16c.8-2 5.2-2 6 0 M14 9h5 M14 12h5 M14 15h3',
  ticket: 'M4 6h16v4a2 2 0 0 0 0 4v4H4v-4a2 2 0 0 0 0-4z M9 6v12',
  appointment: 'M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5 M8.5 15l2.5 2.5l4.5-4.5',
  robot: 'M6 9h12v9H6z M12 5v4 M9.5 13h.01 M14.5 13h.01 M9 16h6 M3 12v3 M21 12v3 M11 4h2',
  guide: 'M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2z M4 21V5 M8 7h7 M8 11h7',
  apply: 'M6 3h9l4 4v14H6z M15 3v4h4 M9 12h7 M9 16h5',
  progress: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14 M16 16l5 5 M11 8v3.5l2.5 1.5',
  feedback: 'M4 5h16v11H9l-5 4z M8 9h8 M8 12h5',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 48 }: { name: IconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={PATHS[name]} />
    </svg>
  );
}
