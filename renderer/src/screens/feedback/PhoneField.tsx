import { useTranslation } from 'react-i18next';

/** An optional mobile number typed on an on-screen digit keypad (the host checks the format). */
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const MAX_DIGITS = 11;

export function PhoneField({ value, onChange }: { value: string; onChange: (next: string) => void }) {
  const { t } = useTranslation('feedback');
  const shown = value.replace(/^(\d{3})(\d{1,4})?(\d{1,4})?$/, (_all, a: string, b?: string, c?: string) => [a, b, c].filter(Boolean).join(' '));
  return (
    <div className="phone-field">
      <span className="feedback-label">{t('phone.label')}</span>
      <output className={`phone-display${value === '' ? ' is-empty' : ''}`} data-testid="feedback-phone">
        {value === '' ? t('phone.placeholder') : shown}
      </output>
      <div className="phone-keypad">
        {DIGITS.map((digit) => (
          <button type="button" key={digit} className="touch key" disabled={value.length >= MAX_DIGITS} onClick={() => onChange(value + digit)} data-testid={`phone-key-${digit}`}>
            {digit}
          </button>
        ))}
        <button type="button" className="touch key" onClick={() => onChange(value.slice(0, -1))}>
          ⌫ {t('phone.back')}
        </button>
        <button type="button" className="touch key" onClick={() => onChange('')}>
          {t('phone.clear')}
        </button>
      </div>
    </div>
  );
}
