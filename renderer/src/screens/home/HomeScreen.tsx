import { useTranslation } from 'react-i18next';
import { useHostInfo } from '../../app/api.js';
import { Icon, type IconName } from '../../app/icons.js';
import { useNavigation, type ScreenId } from '../../app/navigation.js';

const ENTRIES: ReadonlyArray<{ screen: ScreenId & IconName; key: string }> = [
  { screen: 'ticket', key: 'ticket' },
  { screen: 'appointment', key: 'appointment' },
  { screen: 'robot', key: 'robot' },
  { screen: 'guide', key: 'guide' },
  { screen: 'apply', key: 'apply' },
  { screen: 'progress', key: 'progress' },
  { screen: 'feedback', key: 'feedback' },
];

/** The main menu: what citizens come to the terminal for (seven tiles). */
export function HomeScreen() {
  const { t } = useTranslation();
  const info = useHostInfo();
  const { navigate } = useNavigation();
  return (
    <main className="home" data-testid="home-screen">
      <h1 className="screen-title">{t('home.title')}</h1>
      <nav className="home-grid">
        {ENTRIES.map((entry) => (
          <button type="button" key={entry.screen} className="touch tile" onClick={() => navigate(entry.screen)} data-testid={`home-${entry.screen}`}>
            <span className="tile-icon">
              <Icon name={entry.screen} size={64} />
            </span>
            <span className="tile-label">{t(`home.${entry.key}`, { robot: info.robotName })}</span>
            <span className="tile-hint">{t(`home.${entry.key}Hint`)}</span>
          </button>
        ))}
      </nav>
    </main>
  );
}
