import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The ticket screen; until its capability lands it shows the placeholder. */
export function TicketScreen() {
  return <PlaceholderScreen />;
}
