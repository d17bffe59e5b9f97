import { useTranslation } from 'react-i18next';

/**
 * A large on-screen digit keypad (kiosks have no keyboard): digits, clear,
 * backspace. Used for pre-acceptance numbers and phone numbers.
 */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

export function Keypad({ value, onChange, maxLength, testId }: { value: string; onChange: (next: string) => void; maxLength: number; testId: string }) {
  const { t } = useTranslation('cases');
  const press = (key: (typeof KEYS)[number]): void => {
    if (key === 'clear') onChange('');
    else if (key === 'back') onChange(value.slice(0, -1));
    else if (value.length < maxLength) onChange(value + key);
  };
  return (
    <div className="cases-keypad" data-testid={testId}>
      {KEYS.map((key) => (
        <button type="button" key={key} className={`touch cases-key${key === 'clear' || key === 'back' ? ' is-word' : ''}`} onClick={() => press(key)} data-testid={`${testId}-${key}`}>
          {key === 'clear' ? t('progress.clear') : key === 'back' ? t('progress.backspace') : key}
        </button>
      ))}
    </div>
  );
}
