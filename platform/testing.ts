import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../electron/host/logging/logger.js';
import { Database } from '../electron/host/storage/database.js';
import { PlatformAdmin } from './admin.js';
import type { FaultConfig } from './faults.js';
import type { FleetOptions } from './fleet.js';
import type { ServerLimits } from '../electron/host/http/server-limits.js';
import { startPlatformServer, type PlatformServer } from './server.js';

/** A reference platform on loopback in a temp directory, for tests: server, admin client, and cleanup. */
export interface LoopbackPlatform {
  server: PlatformServer;
  admin: PlatformAdmin;
  url: string;
  close(): Promise<void>;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token';

export async function startLoopbackPlatform(
  options: { terminals?: { id: string; secret: string }[]; faults?: Partial<FaultConfig>; maxBodyBytes?: number; now?: () => Date; seed?: number; fleet?: Partial<FleetOptions>; citizenKeySecret?: string; limits?: Partial<ServerLimits> } = {},
): Promise<LoopbackPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-platform-'));
  const db = await Database.open(join(dir, 'platform.db'));
  const server = await startPlatformServer({
    db,
    adminToken: TEST_ADMIN_TOKEN,
    logger: silentLogger(),
    terminals: options.terminals ?? [],
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.fleet === undefined ? {} : { fleet: options.fleet }),
    ...(options.citizenKeySecret === undefined ? {} : { citizenKeySecret: options.citizenKeySecret }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  return {
    server,
    admin: new PlatformAdmin(server.url, TEST_ADMIN_TOKEN),
    url: server.url,
    async close() {
      await server.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
