import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** Consultations, complaints and ratings; until its capability lands it shows the placeholder. */
export function FeedbackScreen() {
  return <PlaceholderScreen />;
}
