import type { z } from 'zod';
import type { MethodSpec } from './define.js';
import { casesApi, casesEvents } from './cases.js';
import { guideApi, guideEvents } from './guide.js';
import { operationsApi, operationsEvents } from './operations.js';
import { queueApi, queueEvents } from './queue.js';
import { robotApi, robotEvents } from './robot.js';
import { sessionApi, sessionEvents } from './session.js';
import { speechApi, speechEvents } from './speech.js';
import { syncApi, syncEvents } from './sync.js';
import { systemApi, systemEvents } from './system.js';

/**
 * THE contract between renderer and host, declared once. Each capability adds
 * its own module (system, session, queue, robot, cases, sync) and is merged
 * here; the host validates every inbound call against it and the renderer's
 * client is typed by it. No Node or DOM code lives in this folder.
 */
export const api = {
  ...systemApi,
  ...sessionApi,
  ...queueApi,
  ...robotApi,
  ...casesApi,
  ...guideApi,
  ...syncApi,
  ...operationsApi,
  ...speechApi,
} satisfies Record<string, MethodSpec>;

export const events = {
  ...systemEvents,
  ...sessionEvents,
  ...queueEvents,
  ...robotEvents,
  ...casesEvents,
  ...guideEvents,
  ...syncEvents,
  ...operationsEvents,
  ...speechEvents,
} satisfies Record<string, z.ZodType>;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ParamsOf<M extends MethodName> = z.input<Api[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Api[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export * from './errors.js';
export * from './messages.js';
export * from './envelope.js';
export * from './cases.js';
export * from './guide.js';
export * from './operations.js';
export * from './queue.js';
export * from './robot.js';
export * from './session.js';
export * from './speech.js';
export * from './sync.js';
export * from './system.js';
export * from './supervision.js';
