import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputCandidate } from '../../../../electron/contract/index.js';
import { useApi } from '../../app/api.js';
import './pinyin-input.css';

/**
 * Text entry without a physical keyboard: a text field plus an on-screen
 * QWERTY letter keyboard with large keys. Letters typed on it are pinyin
 * (full "shenfenzheng", initials "sfz" or a mix); the host offers Chinese
 * candidates over the hall's vocabulary (`input.candidates`, debounced) and a
 * tapped candidate is appended to the text. A physical keyboard (or a system
 * IME) types into the field directly.
 */
export interface PinyinInputProps {
  value: string;
  onChange: (next: string) => void;
  onSubmit?: () => void;
  placeholder?: string;
  submitLabel?: string;
  /** A text area instead of a one-line field. */
  multiline?: boolean;
  maxLength?: number;
  /** Show the on-screen keyboard at first (default true); a button toggles it. */
  keyboardOpen?: boolean;
  /**
   * With this, the screen owns whether the keyboard shows (`keyboardOpen` is
   * then the current state, not the first one): the robot hides it when a
   * question is asked, so the answer gets the room.
   */
  onKeyboardOpenChange?: (open: boolean) => void;
  disabled?: boolean;
  /** The field's data-testid and id; the parts get `${testId}-key-a`, `${testId}-candidate-0`, `${testId}-submit`… */
  testId?: string;
  /** Accessible label of the field. */
  label?: string;
}

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'].map((row) => row.split(''));
/** Wait this long after the last letter before asking the host (a quick typist sends one query). */
const DEBOUNCE_MS = 150;
const MAX_LETTERS = 30;

function appendLimited(text: string, addition: string, maxLength: number | undefined): string {
  const next = text + addition;
  return maxLength === undefined ? next : Array.from(next).slice(0, maxLength).join('');
}

export function PinyinInput({
  value,
  onChange,
  onSubmit,
  placeholder,
  submitLabel,
  multiline = false,
  maxLength,
  keyboardOpen = true,
  onKeyboardOpenChange,
  disabled = false,
  testId = 'pinyin',
  label,
}: PinyinInputProps) {
  const { t } = useTranslation('robot');
  const api = useApi();
  const [ownOpen, setOwnOpen] = useState(keyboardOpen);
  const open = onKeyboardOpenChange ? keyboardOpen : ownOpen;
  const setOpen = onKeyboardOpenChange ?? setOwnOpen;
  const [letters, setLetters] = useState('');
  // Candidates remember the letters they answer: only those for the current letters are shown.
  const [answered, setAnswered] = useState<{ letters: string; candidates: InputCandidate[] }>({ letters: '', candidates: [] });
  const candidates = answered.letters === letters && letters !== '' ? answered.candidates : [];

  useEffect(() => {
    if (letters === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void api.call('input.candidates', { query: letters }).then((result) => {
        if (live) setAnswered({ letters, candidates: result.ok ? result.value : [] });
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, letters]);

  const pick = (text: string): void => {
    onChange(appendLimited(value, text, maxLength));
    setLetters('');
  };
  const letter = (key: string): void => setLetters((current) => (current.length >= MAX_LETTERS ? current : current + key));
  const backspace = (): void => {
    if (letters !== '') setLetters(letters.slice(0, -1));
    else onChange(Array.from(value).slice(0, -1).join(''));
  };
  /** Like an input method: space takes the first candidate while letters are pending, else types a space. */
  const space = (): void => {
    if (letters === '') onChange(appendLimited(value, ' ', maxLength));
    else pick(candidates[0]?.text ?? letters);
  };
  const clear = (): void => {
    setLetters('');
    onChange('');
  };
  const submit = (): void => {
    if (letters !== '') setLetters('');
    onSubmit?.();
  };

  const fieldProps = {
    id: testId,
    className: `pinyin-field${multiline ? ' is-multiline' : ''}`,
    value,
    placeholder,
    maxLength,
    disabled,
    'aria-label': label ?? placeholder,
    'data-testid': testId,
  };

  return (
    <div className="pinyin-input" data-testid={`${testId}-input`}>
      <div className="pinyin-row">
        {multiline ? (
          <textarea {...fieldProps} rows={3} onChange={(event) => onChange(event.target.value)} />
        ) : (
          <input
            {...fieldProps}
            type="text"
            onChange={(event) => onChange(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.nativeEvent.isComposing && onSubmit) {
                event.preventDefault();
                submit();
              }
            }}
          />
        )}
        <button type="button" className="touch pinyin-toggle" aria-pressed={open} onClick={() => setOpen(!open)} data-testid={`${testId}-keyboard-toggle`}>
          {open ? t('keyboard.hide') : t('keyboard.show')}
        </button>
        {onSubmit && (
          <button type="button" className="touch primary pinyin-submit" disabled={disabled} onClick={submit} data-testid={`${testId}-submit`}>
            {submitLabel ?? t('keyboard.submit')}
          </button>
        )}
      </div>
      {open && (
        <div className="pinyin-keyboard" data-testid={`${testId}-keyboard`}>
          <div className="pinyin-composition" aria-live="polite">
            <span className="pinyin-letters" data-testid={`${testId}-letters`}>
              {letters === '' ? t('keyboard.hint') : letters}
            </span>
            <div className="pinyin-candidates" data-testid={`${testId}-candidates`}>
              {candidates.map((candidate, index) => (
                <button type="button" key={candidate.text} className="touch pinyin-candidate" onClick={() => pick(candidate.text)} data-testid={`${testId}-candidate-${index}`}>
                  {candidate.text}
                </button>
              ))}
            </div>
          </div>
          {ROWS.map((row, index) => (
            <div className="pinyin-keys" key={row.join('')}>
              {row.map((key) => (
                <button type="button" key={key} className="touch pinyin-key" disabled={disabled} onClick={() => letter(key)} data-testid={`${testId}-key-${key}`}>
                  {key}
                </button>
              ))}
              {index === 2 && (
                <button type="button" className="touch pinyin-key is-wide" disabled={disabled} onClick={backspace} data-testid={`${testId}-backspace`}>
                  ⌫ {t('keyboard.backspace')}
                </button>
              )}
            </div>
          ))}
          <div className="pinyin-keys">
            <button type="button" className="touch pinyin-key is-wide" disabled={disabled} onClick={clear} data-testid={`${testId}-clear`}>
              {t('keyboard.clear')}
            </button>
            <button type="button" className="touch pinyin-key is-space" disabled={disabled} onClick={space} data-testid={`${testId}-space`}>
              {t('keyboard.space')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
