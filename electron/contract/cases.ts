/** Service guide, pre-applications, scans, progress, consultations and ratings (filled in by the cases capability). */
export const casesApi = {};
export const casesEvents = {};
