import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLY_PAGE_TOKEN, replyPageKey } from '../../../platform-contract/contract.js';
import { createApiClient, type ApiClient } from '../../../renderer/src/api/client.js';
import { callValue as value, eventually } from '../../../tests/support/host.js';
import { parseConfig } from '../config/load.js';
import { startHost, type KioskHost } from '../index.js';
import { silentLogger } from '../logging/logger.js';
import { memoryPipe } from '../rpc/memory-transport.js';

// The consultation slip in a real host: the receipt printer simulator writes
// each job's text (QR data included) under <dataDir>/printer-jobs.
const PUBLIC = 'https://zwfw.example.gov.cn/liuliu';
const TEXT = '请问灵活就业人员怎么缴社保？我叫张三丰。';

let host: KioskHost | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await host?.stop();
  host = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function boot(platform: Record<string, unknown>): Promise<{ client: ApiClient; kiosk: KioskHost; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-slip-'));
  dirs.push(dataDir);
  const kiosk = await startHost(parseConfig({ developerMode: true, queue: { listen: { port: 0 } }, platform }, 'test', { LIULIU_DATA_DIR: dataDir }), { logger: silentLogger() });
  host = kiosk;
  const pipe = memoryPipe();
  kiosk.attach(pipe.host);
  return { client: createApiClient(pipe.renderer, 60_000), kiosk, dataDir };
}

function jobs(dataDir: string): string {
  const dir = join(dataDir, 'printer-jobs');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.txt')).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n') : '';
}

async function consult(client: ApiClient): Promise<string> {
  const receipt = await value(client, 'feedback.submit', { kind: 'consultation', category: 'policy', text: TEXT });
  return receipt.id;
}

async function queuedPayload(kiosk: KioskHost, id: string): Promise<Record<string, unknown> | undefined> {
  return (await kiosk.context.outbox.pending(kiosk.context.db, 100)).find((row) => row.id === id)?.payload as Record<string, unknown> | undefined;
}

describe('the consultation slip', () => {
  it('carries a QR to her phone page on the platform; only the hash of its token goes into the record', { timeout: 60_000 }, async () => {
    const { client, kiosk, dataDir } = await boot({ publicUrl: PUBLIC });
    expect(await value(client, 'feedback.slipLink', {})).toEqual({ base: PUBLIC, problem: null });
    await value(client, 'session.begin', {});
    const id = await consult(client);
    expect(await value(client, 'feedback.printSlip', { id })).toEqual({ kind: 'printed', qr: true });
    const text = await eventually(async () => jobs(dataDir), (t) => t.includes('咨询回执'));
    const url = /\[QR: (\S+)\]/.exec(text)?.[1] ?? '';
    expect(url.startsWith(`${PUBLIC}/m/consultations/`)).toBe(true);
    const token = url.slice(`${PUBLIC}/m/consultations/`.length);
    expect(token).toMatch(REPLY_PAGE_TOKEN);
    expect(text).toContain('政策咨询');
    expect(text).not.toContain('张三丰');
    const payload = await queuedPayload(kiosk, id);
    expect(payload?.['replyPageKey']).toBe(replyPageKey(token));
    expect(JSON.stringify(payload)).not.toContain(token);

    // Another visit cannot print it (the token went with the visit), nor an unknown id.
    await value(client, 'session.end', { reason: 'logout' });
    await value(client, 'session.begin', {});
    for (const other of [id, 'no-such-consultation']) {
      const refused = await client.call('feedback.printSlip', { id: other });
      expect(refused.ok ? null : refused.error).toMatchObject({ code: 'refused', details: { reason: 'not-this-session' }, say: { code: 'feedback.slipOtherSession' } });
    }
  });

  it('has no QR without a public URL (or with a loopback one), and the staff screen is told why', { timeout: 60_000 }, async () => {
    const { client, kiosk, dataDir } = await boot({ publicUrl: 'http://127.0.0.1:8800' });
    expect(await value(client, 'feedback.slipLink', {})).toEqual({ base: null, problem: 'loopback' });
    await value(client, 'session.begin', {});
    const id = await consult(client);
    expect(await value(client, 'feedback.printSlip', { id })).toEqual({ kind: 'printed', qr: false });
    const text = await eventually(async () => jobs(dataDir), (t) => t.includes('咨询回执'));
    expect(text).not.toContain('[QR:');
    expect(text).toContain('答复将以短信告知');
    expect((await queuedPayload(kiosk, id))?.['replyPageKey']).toBeUndefined();
  });
});
