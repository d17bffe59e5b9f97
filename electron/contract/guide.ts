/** Service guide browsing, search and printing; consultations, complaints and ratings (filled in by the guide capability). */
export const guideApi = {};
export const guideEvents = {};
