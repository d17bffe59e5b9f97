import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawHttp, rawWebSocket, slowClient, wsFrame } from '../../tests/support/raw-wire.js';
import { MAX_MESSAGE_BYTES } from '../contract/index.js';
import { silentLogger } from '../host/logging/logger.js';
import type { Connection } from '../host/rpc/server.js';
import { PAGE_PING, PAGE_PONG, startBrowserShellServer, type BrowserShellServer } from './server.js';

let server: BrowserShellServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(connections: Connection[], extra: { token?: string; port?: number; limits?: { headersMs: number; requestMs: number; checkIntervalMs: number } } = {}): Promise<BrowserShellServer> {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-shell-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<html><head></head><body>kiosk</body></html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  server = await startBrowserShellServer({ rendererDir: dir, bridgeScript: '/*bridge*/', port: extra.port ?? 0, ...(extra.token !== undefined ? { token: extra.token } : {}), ...(extra.limits !== undefined ? { limits: extra.limits } : {}), logger: silentLogger(), onConnection: (c) => connections.push(c) });
  return server;
}

function tryConnect(url: string, origin: string | undefined): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('browser shell server', () => {
  it('serves the renderer with the bridge injected and a strict CSP, and nothing outside it', async () => {
    const shell = await start([]);
    const index = await fetch(`${shell.origin}/`);
    expect(await index.text()).toContain('<script src="/__liuliu/bridge.js"></script>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${shell.origin}/assets/app.js`)).status).toBe(200);
    expect((await fetch(`${shell.origin}/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${shell.origin}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect(shell.launchUrl).toMatch(/#token=[\w-]{20,}$/);
  });

  it('accepts a WebSocket only with the token and from its own loopback origin', async () => {
    const connections: Connection[] = [];
    const shell = await start(connections);
    const token = new URL(shell.launchUrl).hash.slice('#token='.length);
    const rpc = `ws://127.0.0.1:${shell.port}/rpc`;
    expect(await tryConnect(`${rpc}?token=${token}`, 'http://evil.example')).toBe(403);
    expect(await tryConnect(`${rpc}?token=${token}`, undefined)).toBe(403);
    expect(await tryConnect(`${rpc}?token=wrong`, shell.origin)).toBe(403);
    expect(await tryConnect(rpc, shell.origin)).toBe(403);
    expect(await tryConnect(`ws://127.0.0.1:${shell.port}/other?token=${token}`, shell.origin)).toBe(404);
    expect(connections).toHaveLength(0);
    expect(await tryConnect(`${rpc}?token=${token}`, shell.origin)).toBe('open');
    expect(connections).toHaveLength(1);
  });

  // Red-team finding 1 (issue #13): each of these took the host down.
  it('answers hostile request targets with 400/404 and keeps serving', async () => {
    const shell = await start([]);
    for (const target of ['/%', '//', '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', '//@', '/%00', '/a%5c..%5c..%5cetc', '//evil.example/x', '/%E0%A4%A']) {
      const status = await rawHttp(shell.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect([400, 404], `GET ${target}`).toContain(status);
    }
    expect((await fetch(`${shell.origin}/assets/app.js`)).status).toBe(200);
  });

  it('drops a client that trickles its request head (slowloris) with 408 and keeps serving', async () => {
    const s = await start([], { limits: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 } });
    const slow = await slowClient(s.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n', { everyMs: 100, giveUpMs: 5_000 });
    expect(slow.status).toBe(408);
    expect(slow.afterMs).toBeLessThan(3_000);
    expect(await rawHttp(s.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(200);
  });

  it('refuses a WebSocket upgrade to a hostile path and keeps serving', async () => {
    const shell = await start([]);
    for (const target of ['//@', '//', '/%', '/rpc?token=%']) {
      const ws = await rawWebSocket(shell.port, target, { Origin: shell.origin });
      expect([400, 403, 404], `upgrade ${target}`).toContain(ws.status);
      ws.close();
    }
    expect((await fetch(`${shell.origin}/`)).status).toBe(200);
  });

  it('closes a socket that sends an oversized or invalid UTF-8 frame, and keeps serving', async () => {
    const connections: Connection[] = [];
    const shell = await start(connections);
    const token = new URL(shell.launchUrl).hash.slice('#token='.length);
    const oversized = await rawWebSocket(shell.port, `/rpc?token=${token}`, { Origin: shell.origin });
    expect(oversized.status).toBe(101);
    oversized.send(wsFrame(0x1, Buffer.alloc(64, 0x61), { declaredLength: MAX_MESSAGE_BYTES + 1024 }));
    await oversized.closed;
    const invalid = await rawWebSocket(shell.port, `/rpc?token=${token}`, { Origin: shell.origin });
    expect(invalid.status).toBe(101);
    invalid.send(wsFrame(0x1, Buffer.from([0xc0, 0xae, 0xff, 0xfe])));
    await invalid.closed;
    expect((await fetch(`${shell.origin}/`)).status).toBe(200);
    expect(await tryConnect(`ws://127.0.0.1:${shell.port}/rpc?token=${token}`, shell.origin)).toBe('open');
  });

  it('a restarted server on the same port with the supervisor token accepts the page that was already open', async () => {
    const token = 'supervisor-token-0123456789abcdef';
    const first = await start([], { token });
    const port = first.port;
    expect(first.launchUrl).toBe(`http://127.0.0.1:${port}/#token=${token}`);
    await first.close();
    server = undefined;
    const connections: Connection[] = [];
    const second = await start(connections, { token, port });
    expect(await tryConnect(`ws://127.0.0.1:${port}/rpc?token=${token}`, second.origin)).toBe('open');
    expect(connections).toHaveLength(1);
  });

  it('answers the page heartbeat below the contract and remembers when it beat', async () => {
    const connections: Connection[] = [];
    const shell = await start(connections);
    const token = new URL(shell.launchUrl).hash.slice('#token='.length);
    expect(shell.lastPageBeatAt()).toBeUndefined();
    const received: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/rpc?token=${token}`, { origin: shell.origin });
    await new Promise((resolve) => ws.once('open', resolve));
    await expect.poll(() => connections.length).toBe(1);
    connections[0]?.onMessage((text) => received.push(text));
    const pong = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    ws.send(PAGE_PING);
    expect(await pong).toBe(PAGE_PONG);
    expect(shell.lastPageBeatAt()).toBeGreaterThan(Date.now() - 5_000);
    ws.send('{"type":"call"}');
    await expect.poll(() => received).toEqual(['{"type":"call"}']);
    ws.close();
  });
});

