import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The apply screen; until its capability lands it shows the placeholder. */
export function ApplyScreen() {
  return <PlaceholderScreen />;
}
