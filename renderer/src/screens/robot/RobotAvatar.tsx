/**
 * 浏浏 drawn inline (no image file, no emoji font): a round-headed guide
 * robot in the hall's blue. `mood` animates it: thinking (antenna blinks),
 * speaking (mouth moves).
 */
export type AvatarMood = 'idle' | 'thinking' | 'speaking';

export function RobotAvatar({ mood = 'idle', size = 112, label }: { mood?: AvatarMood; size?: number; label: string }) {
  return (
    <svg className={`robot-avatar is-${mood}`} width={size} height={size} viewBox="0 0 120 120" role="img" aria-label={label} data-testid="robot-avatar" data-mood={mood}>
      <line x1="60" y1="8" x2="60" y2="22" stroke="#0b4aa2" strokeWidth="4" strokeLinecap="round" />
      <circle className="robot-antenna" cx="60" cy="8" r="6" fill="#ffb300" />
      <ellipse cx="60" cy="112" rx="30" ry="5" fill="#0b4aa2" opacity="0.15" />
      <rect x="30" y="80" width="60" height="28" rx="12" fill="#0b4aa2" />
      <rect x="50" y="86" width="20" height="12" rx="4" fill="#ffffff" opacity="0.9" />
      <circle cx="60" cy="92" r="3" fill="#c8102e" />
      <rect x="14" y="22" width="92" height="62" rx="30" fill="#ffffff" stroke="#0b4aa2" strokeWidth="5" />
      <rect x="24" y="32" width="72" height="42" rx="20" fill="#07306b" />
      <ellipse cx="46" cy="50" rx="7" ry="8" fill="#6fd3ff" />
      <ellipse cx="74" cy="50" rx="7" ry="8" fill="#6fd3ff" />
      <circle cx="48" cy="47" r="2.2" fill="#ffffff" />
      <circle cx="76" cy="47" r="2.2" fill="#ffffff" />
      <path className="robot-mouth" d="M50 63 Q60 71 70 63" fill="none" stroke="#6fd3ff" strokeWidth="3.5" strokeLinecap="round" />
      <circle cx="33" cy="62" r="4" fill="#ff8fa3" opacity="0.7" />
      <circle cx="87" cy="62" r="4" fill="#ff8fa3" opacity="0.7" />
      <rect x="6" y="44" width="10" height="20" rx="5" fill="#0b4aa2" />
      <rect x="104" y="44" width="10" height="20" rx="5" fill="#0b4aa2" />
    </svg>
  );
}
