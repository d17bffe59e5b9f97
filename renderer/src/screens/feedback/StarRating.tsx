import { useTranslation } from 'react-i18next';

/** Five big stars (好差评): tap the third to give three. */
export function StarRating({ value, onChange }: { value: number; onChange: (stars: number) => void }) {
  const { t } = useTranslation('feedback');
  const levels = t('rating.levels', { returnObjects: true }) as string[];
  return (
    <div className="stars-block">
      <div className="stars" role="radiogroup" aria-label={t('rating.stars')}>
        {[1, 2, 3, 4, 5].map((stars) => (
          <button
            type="button"
            role="radio"
            key={stars}
            aria-checked={value === stars}
            aria-label={t('rating.star', { count: stars })}
            className={`star${stars <= value ? ' is-on' : ''}`}
            onClick={() => onChange(stars)}
            data-testid={`star-${stars}`}
          >
            <svg viewBox="0 0 24 24" aria-hidden>
              <path d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z" />
            </svg>
          </button>
        ))}
      </div>
      <p className="stars-level" aria-live="polite">
        {levels[value] ?? ''}
      </p>
    </div>
  );
}
