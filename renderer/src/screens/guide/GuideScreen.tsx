import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The guide screen; until its capability lands it shows the placeholder. */
export function GuideScreen() {
  return <PlaceholderScreen />;
}
