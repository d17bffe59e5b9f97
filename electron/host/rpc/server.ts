import type { z } from 'zod';
import {
  ApiError,
  api,
  CallMessage,
  events,
  MAX_MESSAGE_BYTES,
  type ApiErrorShape,
  type Api,
  type EventName,
  type EventPayload,
  type MethodName,
  type ResultMessage,
} from '../../contract/index.js';
import type { Logger } from '../logging/logger.js';

/**
 * The host end of the contract. A transport hands it text; it parses the
 * envelope, validates the params against the contract, runs the handler and
 * validates the result before replying. Every failure becomes an error reply
 * and a log line, never an exception that reaches the transport.
 */
export type Handler<M extends MethodName> = (params: z.output<Api[M]['params']>) => Promise<z.input<Api[M]['result']>> | z.input<Api[M]['result']>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** What a transport gives the host: a message pipe to one renderer. */
export interface Connection {
  /** For logs: `ipc:webContents#1`, `ws:127.0.0.1:53122`. */
  readonly label: string;
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
}

type EventListener = (event: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].safeParse(payload);
    if (!checked.success) {
      // A host bug: report it loudly but keep the kiosk running.
      this.logger.error({ event, issues: checked.error.issues }, 'host tried to publish an event that breaks the contract');
      return;
    }
    for (const listener of this.listeners) listener(event, checked.data);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class RpcServer {
  private readonly handlers = new Map<string, (params: unknown) => unknown>();

  constructor(
    private readonly logger: Logger,
    private readonly bus: EventBus,
    /** Turns a known failure that is not an ApiError (a full disk) into a clear one; undefined = internal error. */
    private readonly explain: (err: unknown) => ApiError | undefined = () => undefined,
  ) {}

  /** Registers a module's handlers. Registering a method twice is a wiring bug. */
  register(handlers: Partial<Handlers>): void {
    for (const [name, handler] of Object.entries(handlers)) {
      if (!(name in api)) throw new Error(`handler for ${name}, which the contract does not declare`);
      if (this.handlers.has(name)) throw new Error(`handler for ${name} registered twice`);
      this.handlers.set(name, handler as (params: unknown) => unknown);
    }
  }

  /** Methods declared in the contract that no module handles (checked at start). */
  unhandled(): string[] {
    return Object.keys(api).filter((name) => !this.handlers.has(name));
  }

  /** Handles one inbound message; returns the reply text, or undefined when none can be addressed. */
  async handle(text: string, from: string): Promise<string | undefined> {
    const reply = (message: ResultMessage): string => JSON.stringify(message);
    const fail = (id: number, error: ApiErrorShape): string => reply({ type: 'result', id, ok: false, error });

    if (text.length > MAX_MESSAGE_BYTES) {
      this.logger.warn({ from, bytes: text.length }, 'dropped an oversized message');
      return fail(-1, { code: 'bad_request', message: `message larger than ${MAX_MESSAGE_BYTES} bytes` });
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      this.logger.warn({ from }, 'dropped a message that is not JSON');
      return fail(-1, { code: 'bad_request', message: 'message is not JSON' });
    }
    const envelope = CallMessage.safeParse(json);
    if (!envelope.success) {
      const id = typeof (json as { id?: unknown } | null)?.id === 'number' ? (json as { id: number }).id : -1;
      this.logger.warn({ from, issues: envelope.error.issues }, 'dropped a malformed call');
      return fail(id, { code: 'bad_request', message: `malformed call: ${envelope.error.issues[0]?.message ?? 'invalid'}` });
    }
    const { id, method, params } = envelope.data;
    const spec = (api as Record<string, { params: z.ZodType; result: z.ZodType } | undefined>)[method];
    const handler = this.handlers.get(method);
    if (!spec || !handler) {
      this.logger.warn({ from, method }, 'call to an unknown method');
      return fail(id, { code: 'unknown_method', message: `unknown method ${method}` });
    }
    const parsedParams = spec.params.safeParse(params ?? {});
    if (!parsedParams.success) {
      const issue = parsedParams.error.issues[0];
      this.logger.warn({ from, method, issues: parsedParams.error.issues }, 'call with invalid params');
      return fail(id, {
        code: 'bad_request',
        message: `invalid params for ${method}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        details: { field: issue?.path.join('.') ?? '' },
      });
    }
    try {
      const value = await handler(parsedParams.data);
      const checked = spec.result.safeParse(value);
      if (!checked.success) {
        this.logger.error({ method, issues: checked.error.issues }, 'handler returned a result that breaks the contract');
        return fail(id, { code: 'internal', message: `host error in ${method}` });
      }
      return reply({ type: 'result', id, ok: true, value: checked.data });
    } catch (err) {
      if (err instanceof ApiError) {
        this.logger.info({ method, code: err.code, message: err.message }, 'call refused');
        return fail(id, { code: err.code, message: err.message, ...(err.say ? { say: err.say } : {}), ...(err.details ? { details: err.details } : {}) });
      }
      const explained = this.explain(err);
      if (explained) {
        this.logger.error({ method, err, code: explained.code, details: explained.details }, 'handler failed');
        return fail(id, { code: explained.code, message: explained.message, ...(explained.details ? { details: explained.details } : {}) });
      }
      this.logger.error({ method, err }, 'handler failed');
      return fail(id, { code: 'internal', message: `host error in ${method}` });
    }
  }

  /** Serves one renderer over a transport: calls in, replies and events out. */
  attach(connection: Connection): void {
    this.logger.info({ connection: connection.label }, 'renderer connected');
    const unsubscribe = this.bus.subscribe((event, payload) => connection.send(JSON.stringify({ type: 'event', event, payload })));
    connection.onMessage((text) => {
      void this.handle(text, connection.label).then((replyText) => {
        if (replyText !== undefined) connection.send(replyText);
      });
    });
    connection.onClose(() => {
      unsubscribe();
      this.logger.info({ connection: connection.label }, 'renderer disconnected');
    });
  }
}
