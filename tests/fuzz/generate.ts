/**
 * Seeded generators of hostile wire input. Pure functions of a PRNG: the same
 * seed gives the same cases on every machine, so a failure reproduces.
 */
import { wsFrame } from '../support/raw-wire.js';

export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const int = (rng: Rng, max: number): number => Math.floor(rng() * max);

function randomBytes(rng: Rng, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) bytes[i] = int(rng, 256);
  return bytes;
}

const PERCENT = ['%', '%%', '%2', '%zz', '%c0%ae', '%c0%af', '%e0%80%af', '%ff', '%00', '%2e%2e', '%2f', '%5c', '%E0%A4%A', '%ed%a0%80', '%f4%90%80%80', '%25', '%u002e'];
const SEGMENTS = ['', '.', '..', '...', '@', ':', ';', '~', 'a', 'index.html', 'assets', 'rpc', 'ws', 'api', 'v1', 't', 'admin', 'etc', 'passwd', '中文', '\u00e9', '\t', '*', '?', '#', '&', '=', '+'];

/** A path built from a server's real routes, mutated. */
export function hostilePath(rng: Rng, routes: readonly string[]): string {
  const kind = int(rng, 8);
  if (kind === 0) return pick(rng, ['//', '//@', '///', '/%', '*', '', 'http://evil.example/', '//evil.example/x', '/\\..\\..', '/ /', '/\u0000']);
  let path = pick(rng, routes);
  const edits = 1 + int(rng, 4);
  for (let i = 0; i < edits; i += 1) {
    const at = int(rng, path.length + 1);
    const insert = pick(rng, [pick(rng, PERCENT), `/${pick(rng, SEGMENTS)}`, pick(rng, SEGMENTS), '/'.repeat(1 + int(rng, 3))]);
    path = path.slice(0, at) + insert + path.slice(at);
  }
  if (rng() < 0.05) path += 'a'.repeat(1000 + int(rng, 20_000));
  if (rng() < 0.2) path += `?${pick(rng, ['token=%', 'token=', 'cursor=-1', 'limit=1e9', 'a=%ff', 'x'.repeat(300), 'cursor=99999999999999999999&limit=0'])}`;
  return path;
}

const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'GeT', 'BREW', 'G\u00c9T', 'POST '.repeat(3), ''];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 junk', 'HTTTP/1.1', '', 'HTTP/1.1\u0000'];

function jsonish(rng: Rng, depth = 0): string {
  const kind = int(rng, depth > 3 ? 4 : 7);
  if (kind === 0) return String(rng() * 1e6 - 5e5);
  if (kind === 1) return JSON.stringify(pick(rng, ['', 'a', '\u0000', '\ud800', '中文', 'x'.repeat(500), '430181198001011239']));
  if (kind === 2) return pick(rng, ['true', 'false', 'null', '1e999', '-0', 'NaN', '01']);
  if (kind === 3) return '[' + Array.from({ length: int(rng, 4) }, () => jsonish(rng, depth + 1)).join(',') + ']';
  const keys = ['id', 'type', 'method', 'params', 'records', 'kind', 'payload', 'secret', 'token', 'ticketId', 'window', 'pin', 'staffId', 'requestId', '__proto__', 'constructor'];
  return '{' + Array.from({ length: int(rng, 5) }, () => `${JSON.stringify(pick(rng, keys))}:${jsonish(rng, depth + 1)}`).join(',') + '}';
}

/** A body: JSON-ish, truncated, binary, deeply nested or empty. */
export function hostileBody(rng: Rng): Buffer {
  const kind = int(rng, 7);
  if (kind === 0) return Buffer.alloc(0);
  if (kind === 1) return randomBytes(rng, int(rng, 2000));
  if (kind === 2) return Buffer.from('['.repeat(5000 + int(rng, 50_000)));
  if (kind === 3) {
    const text = jsonish(rng);
    return Buffer.from(text.slice(0, int(rng, text.length + 1)));
  }
  return Buffer.from(jsonish(rng));
}

/** One raw HTTP request: request line, headers (some contradictory) and body. */
export function hostileHttpRequest(rng: Rng, routes: readonly string[], extraHeaders: readonly string[] = []): Buffer {
  const method = rng() < 0.8 ? pick(rng, ['GET', 'POST', 'PUT', 'HEAD']) : pick(rng, METHODS);
  const version = rng() < 0.85 ? 'HTTP/1.1' : pick(rng, VERSIONS);
  const line = rng() < 0.03 ? randomBytes(rng, 1 + int(rng, 200)).toString('latin1') : `${method} ${hostilePath(rng, routes)} ${version}`;
  const body = method === 'GET' && rng() < 0.7 ? Buffer.alloc(0) : hostileBody(rng);
  const headers: string[] = [];
  if (rng() < 0.9) headers.push('Host: 127.0.0.1');
  const lengthKind = int(rng, 8);
  if (lengthKind <= 3) headers.push(`Content-Length: ${body.length}`);
  else if (lengthKind === 4) headers.push(`Content-Length: ${pick(rng, ['-1', '1e3', '99999999999999999999', 'abc', `${body.length}, ${body.length + 1}`, String(body.length + 10)])}`);
  else if (lengthKind === 5) headers.push('Transfer-Encoding: chunked');
  else if (lengthKind === 6) headers.push(`Content-Length: ${body.length}`, 'Transfer-Encoding: chunked');
  if (rng() < 0.3) headers.push(`Content-Type: ${pick(rng, ['application/json', 'text/plain', 'multipart/form-data; boundary=', 'application/json; charset=utf-7', '\u00ff'])}`);
  if (rng() < 0.3) headers.push(`Origin: ${pick(rng, ['http://127.0.0.1', 'null', 'http://evil.example', '', 'http://127.0.0.1:1'])}`);
  if (rng() < 0.3) headers.push(`Authorization: ${pick(rng, ['Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'a'.repeat(5000), '\u0000'])}`);
  if (rng() < 0.2) headers.push(`${pick(rng, ['X-Liuliu-Terminal', 'X-Liuliu-Timestamp', 'X-Liuliu-Nonce', 'X-Liuliu-Signature'])}: ${pick(rng, ['kiosk-01', '0', '-1', 'ff'.repeat(40), '', '1'.repeat(30)])}`);
  if (rng() < 0.2) headers.push(pick(rng, ['NoColonHeader', ': empty-name', 'X-Long: ' + 'b'.repeat(int(rng, 20_000)), 'X-Bin: \u00ff\u00fe', 'Connection: upgrade', 'Upgrade: websocket', 'Expect: 100-continue', ' folded: yes']));
  if (rng() < 0.3 && extraHeaders.length > 0) headers.push(pick(rng, extraHeaders));
  let payload = body;
  if (headers.some((h) => h.startsWith('Transfer-Encoding')) && rng() < 0.5) {
    payload = Buffer.concat([Buffer.from(`${pick(rng, [body.length.toString(16), 'zz', '-1', 'ffffffffffff'])}\r\n`), body, Buffer.from(rng() < 0.5 ? '\r\n0\r\n\r\n' : '\r\n')]);
  }
  return Buffer.concat([Buffer.from(`${line}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

export interface WebSocketCase {
  path: string;
  headers: Record<string, string>;
  frames: Buffer[];
}

/** One WebSocket session: an upgrade (sometimes valid) and a sequence of hostile frames. */
export function hostileWebSocketCase(rng: Rng, options: { validPath: string; origin?: string; maxPayload: number; messages?: readonly string[] }): WebSocketCase {
  const path = rng() < 0.75 ? options.validPath : hostilePath(rng, [options.validPath]);
  const headers: Record<string, string> = {};
  if (options.origin !== undefined && rng() < 0.9) headers['Origin'] = options.origin;
  const frames: Buffer[] = [];
  const count = 1 + int(rng, 5);
  for (let i = 0; i < count; i += 1) {
    const kind = int(rng, 12);
    // An oversized frame: the header's length is what the server must refuse, so the payload itself can stay short.
    if (kind === 0) frames.push(wsFrame(0x1, Buffer.alloc(64, 0x61), { declaredLength: options.maxPayload + 1 + int(rng, 1024) }));
    else if (kind === 1) frames.push(wsFrame(0x1, pick(rng, [Buffer.from([0xc0, 0xae]), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xed, 0xa0, 0x80]), randomBytes(rng, 1 + int(rng, 64))])));
    else if (kind === 2) frames.push(wsFrame(0x2, randomBytes(rng, int(rng, 256))));
    else if (kind === 3) frames.push(wsFrame(0x1, Buffer.from('{"type":'), { fin: false }), wsFrame(0x0, Buffer.from('"call","id":1,'), { fin: false }), wsFrame(0x0, Buffer.from(rng() < 0.5 ? '"method":"system.ping","params":{}}' : '\u00ff')));
    else if (kind === 4) frames.push(wsFrame(0x0, Buffer.from('orphan continuation')));
    else if (kind === 5) frames.push(wsFrame(pick(rng, [0x3, 0x4, 0xb, 0xf]), randomBytes(rng, 8)));
    else if (kind === 6) frames.push(wsFrame(0x9, randomBytes(rng, 126)));
    else if (kind === 7) frames.push(wsFrame(0x8, Buffer.from([0x03, int(rng, 256), 0xff])));
    else if (kind === 8) frames.push(wsFrame(0x1, Buffer.alloc(0), { declaredLength: 2 ** 40 }));
    else if (kind === 9) frames.push(Buffer.concat([Buffer.from([0x81, 0x05]), Buffer.from('hello')]));
    else if (kind === 10 && options.messages && options.messages.length > 0) frames.push(wsFrame(0x1, Buffer.from(pick(rng, options.messages))));
    else frames.push(wsFrame(0x1, Buffer.from(jsonish(rng))));
  }
  return { path, headers, frames };
}
