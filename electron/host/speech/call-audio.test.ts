import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../http/request-target.js';
import { CALL_AUDIO_PATH, callAudio } from './call-audio.js';

/** Red team (hall service): the call audio path needs no key, so a stranger must not be able to start espeak-ng without bound. */
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('call audio: renders are bounded', () => {
  it('40 different calls at once start at most 2 renders at a time; past the queue the answer is 503 with Retry-After', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-call-audio-'));
    const log = join(dir, 'renders.log');
    const fake = join(dir, 'fake-espeak.sh');
    // Stands in for espeak-ng: notes when each render starts and ends (its output is no WAV: the render then fails, which is not what is measured).
    writeFileSync(fake, `#!/bin/sh\ncat > /dev/null\necho start >> '${log}'\nsleep 0.2\necho end >> '${log}'\n`);
    chmodSync(fake, 0o755);
    const audio = callAudio({ command: fake, onError: () => undefined });
    const server: Server = createServer((req, res) => {
      const url = parseRequestTarget(req.url);
      if (url === undefined || !audio.handle(url, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const port = (server.address() as AddressInfo).port;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fetch(`http://127.0.0.1:${port}${CALL_AUDIO_PATH}?no=A${String(100 + i)}&window=3`).then((r) => ({ status: r.status, retryAfter: r.headers.get('retry-after') }))),
    );
    let open = 0;
    let most = 0;
    for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
      open += line === 'start' ? 1 : -1;
      most = Math.max(most, open);
    }
    expect(most).toBeLessThanOrEqual(2);
    // Each call was either rendered (2 at once, 16 queued, more as slots freed) or refused at once.
    const started = readFileSync(log, 'utf8').match(/start/g)?.length ?? 0;
    const busy = answers.filter((a) => a.status === 503 && a.retryAfter === '2').length;
    expect(busy).toBeGreaterThan(0);
    expect(started + busy).toBe(40);
  });
});
