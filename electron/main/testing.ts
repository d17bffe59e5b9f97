import { EventEmitter } from 'node:events';

/**
 * A test double of the `electron` module, as much of it as electron/main
 * uses: it records what the shell asked for (window options, handlers,
 * protocol) and lets a test play Electron's part (emit a crash, send an IPC
 * message from some frame). Electron's binary cannot be downloaded here, so
 * the shell is tested against this (main.test.ts).
 */
type Handler = (...args: never[]) => unknown;

export class FakeSession {
  permissionRequestHandler: Handler | undefined;
  permissionCheckHandler: Handler | undefined;
  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheckHandler = handler;
  }
}

let nextId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly session = new FakeSession();
  readonly sent: Array<[string, unknown]> = [];
  windowOpenHandler: Handler | undefined;
  reloads = 0;
  destroyed = false;
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  reload(): void {
    this.reloads += 1;
  }
  forcefullyCrashRenderer(): void {
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
}

class FakeApp extends EventEmitter {
  relaunched = 0;
  exitCode: number | undefined;
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  relaunch(): void {
    this.relaunched += 1;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  quit(): void {
    this.exitCode ??= 0;
  }
}

export const app = new FakeApp();
export const ipcMain = new EventEmitter();
export const protocol = {
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  privileged: [] as unknown[],
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  },
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  },
};
export const session = { defaultSession: { webRequest: { onHeadersReceived: (_handler: Handler): void => undefined } } };
export const Menu = { setApplicationMenu: (_menu: unknown): void => undefined };
export const BrowserWindow = FakeBrowserWindow;

/** An IPC event as Electron delivers it: from `sender`, from a frame with this URL, top-level unless `parent` is given. */
export function ipcEvent(sender: FakeWebContents, url: string, parent: object | null = null): object {
  return { sender, senderFrame: { url, parent } };
}
