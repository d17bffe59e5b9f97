import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The robot screen; until its capability lands it shows the placeholder. */
export function RobotScreen() {
  return <PlaceholderScreen />;
}
