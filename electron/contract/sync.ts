/** Sync with the central platform: status, dead letters (filled in by the sync capability). */
export const syncApi = {};
export const syncEvents = {};
