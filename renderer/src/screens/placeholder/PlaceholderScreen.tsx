import { useTranslation } from 'react-i18next';
import { useNavigation } from '../../app/navigation.js';

/** Stands in for a capability that a later release fills in. */
export function PlaceholderScreen() {
  const { t } = useTranslation();
  const { screen, navigate } = useNavigation();
  return (
    <main className="placeholder" data-testid={`placeholder-${screen}`}>
      <h1 className="screen-title">{t('placeholder.soon')}</h1>
      <p>{t('placeholder.askStaff')}</p>
      <button type="button" className="touch" onClick={() => navigate('home')}>
        {t('chrome.back')}
      </button>
    </main>
  );
}
