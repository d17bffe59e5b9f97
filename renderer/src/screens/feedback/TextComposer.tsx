import { useTranslation } from 'react-i18next';
import { PinyinInput } from '../../components/pinyin-input/PinyinInput.js';

/**
 * A large text area (with the on-screen pinyin keyboard) plus preset phrases a
 * citizen taps to add: writing works without a physical keyboard (and with
 * one, or a system IME, when present).
 * The host cleans and measures the text; the counter here is only a guide.
 */
export function TextComposer({
  label,
  value,
  onChange,
  presets,
  max,
  testId,
}: {
  label: string;
  value: string;
  onChange: (next: string) => void;
  presets: readonly string[];
  max: number;
  testId: string;
}) {
  const { t } = useTranslation('feedback');
  const length = Array.from(value).length;
  return (
    <div className="composer">
      <label className="feedback-label" htmlFor={testId}>
        {label}
      </label>
      <PinyinInput value={value} onChange={onChange} multiline label={label} keyboardOpen={false} testId={testId} />
      <div className="composer-meta">
        <span className={length > max ? 'is-over' : undefined}>{t('text.count', { count: length, max })}</span>
        <button type="button" className="touch small" onClick={() => onChange('')}>
          {t('text.clear')}
        </button>
      </div>
      <p className="feedback-hint">{t('text.presets')}</p>
      <div className="feedback-chips">
        {presets.map((phrase, index) => (
          <button type="button" key={phrase} className="touch chip" onClick={() => onChange(value + phrase)} data-testid={`${testId}-preset-${index}`}>
            {phrase}
          </button>
        ))}
      </div>
    </div>
  );
}
