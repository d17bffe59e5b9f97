import { useTranslation } from 'react-i18next';

/**
 * An on-screen a–z keypad for pinyin initials ("sfz") and full pinyin: the
 * kiosk has no physical keyboard. Keys are in alphabetical rows, which older
 * citizens find faster than QWERTY.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

export function LetterKeypad({ onLetter, onBack, onClear }: { onLetter: (letter: string) => void; onBack: () => void; onClear: () => void }) {
  const { t } = useTranslation('guide');
  return (
    <div className="letter-keypad" data-testid="letter-keypad">
      {LETTERS.map((letter) => (
        <button type="button" key={letter} className="touch key" onClick={() => onLetter(letter)} data-testid={`key-${letter}`}>
          {letter}
        </button>
      ))}
      <button type="button" className="touch key wide" onClick={onBack} data-testid="key-back">
        ⌫ {t('keypad.back')}
      </button>
      <button type="button" className="touch key wide" onClick={onClear} data-testid="key-clear">
        {t('keypad.clear')}
      </button>
    </div>
  );
}
