import { spawn } from 'node:child_process';
import type { Logger } from '../host/logging/logger.js';
import { hostEnvironment, type SupervisorPolicy } from './policy.js';
import { supervisorBase } from './supervisor.js';

/**
 * The Electron shell under supervision. Electron's main process holds the
 * host and the window, so it is one supervised part (`host`): restarted when
 * it exits, killed and restarted when its heartbeat over the IPC channel
 * stops. Its renderer is watched inside it (electron/main: render-process-gone,
 * unresponsive, child-process-gone), and what it recovers by itself is sent
 * here for the restart record.
 */
export interface ElectronSupervisorOptions {
  binary: string;
  /** The app root, then the shell's own flags (--config, --windowed). */
  args: string[];
  dataDir: string;
  logger: Logger;
  policy: SupervisorPolicy;
}

export function superviseElectronShell(options: ElectronSupervisorOptions): { stop(): Promise<void> } {
  const { logger, policy } = options;
  const base = supervisorBase({ dataDir: options.dataDir, logger, policy });
  let announced = false;
  const main = base.child({
    part: 'host',
    heartbeatTimeoutMs: policy.hostTimeoutMs,
    // An Electron built without Node's IPC channel never beats: then only its exit is watched.
    beatOptional: true,
    spawn: () => spawn(options.binary, options.args, { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: hostEnvironment(process.env) }),
    onStart: (child) => {
      base.writeState({ host: child });
      child.on('message', (raw) => {
        const message = base.parseMessage('host', raw);
        if (!message) return;
        main.beat();
        if (message.type === 'recovered') base.record({ part: message.record.part, reason: message.record.reason, action: message.record.action, delayMs: message.record.delayMs });
        if (message.type === 'ready' && !announced) {
          announced = true;
          base.notifier.ready('Electron shell ready');
        }
      });
    },
  });
  const stop = (): Promise<void> => main.stop(10_000);
  base.run([main], stop);
  main.start();
  return { stop };
}
