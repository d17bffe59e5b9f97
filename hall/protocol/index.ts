/**
 * The hall protocol, declared once (zod): the queue API's requests, answers
 * and events (`types.ts`) and the network messages (`messages.ts`). The hall
 * service, the kiosk's queue client and the counter/display pages all import
 * it from here. Pure: no Node, no DOM, no host code.
 */
export * from './types.js';
export * from './messages.js';
export * from './hello-proof.js';
export * from './stats.js';
export * from './ratings.js';
