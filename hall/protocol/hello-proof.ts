import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';

/**
 * The answer to the service's `challenge`: base64url HMAC-SHA256(key,
 * "liuliu-hall-hello\n" nonce "\n" role "\n" kioskId). Every caller proves its
 * key this way — kiosks with their own key, staff tools with the hall secret,
 * the counter and display pages with their page key — so no secret crosses
 * the wire, TLS or not. Pure JS (@noble/hashes) because the pages run in plain
 * http browsers, where WebCrypto is not available (it needs a secure context).
 */
export function helloProof(key: string, nonce: string, role: string, kioskId: string | undefined): string {
  const encoder = new TextEncoder();
  const mac = hmac(sha256, encoder.encode(key), encoder.encode(`liuliu-hall-hello\n${nonce}\n${role}\n${kioskId ?? ''}`));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
