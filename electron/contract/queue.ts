/** Queue tickets: issue, print, status (filled in by the queue capability). */
export const queueApi = {};
export const queueEvents = {};
