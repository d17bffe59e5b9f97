import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The progress screen; until its capability lands it shows the placeholder. */
export function ProgressScreen() {
  return <PlaceholderScreen />;
}
