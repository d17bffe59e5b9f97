import { readFileSync } from 'node:fs';
import { citizenLookupKey, type ReusableMaterial } from '../../../platform-contract/contract.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Logger } from '../logging/logger.js';
import { describeError, PlatformClient } from './client.js';
import type { PlatformSettings } from './module.js';

/**
 * 一号 on the terminal's side of the link: asks the platform which materials a
 * citizen submitted before, by the keyed hash of her ID number
 * (`citizenLookupKey` under the hall's citizen-key secret). The secret stays in
 * here: it is never sent and never logged, and neither is the number. Its own
 * client with a short timeout, so a slow platform never holds her at the
 * screen: she scans instead.
 */
export type MaterialLookupResult = { kind: 'ok'; materials: ReusableMaterial[] } | { kind: 'off' } | { kind: 'unavailable'; reason: string };
export type MaterialLookup = (idNumber: string) => Promise<MaterialLookupResult>;

export const MATERIAL_LOOKUP_TIMEOUT_MS = 4_000;

/** The citizen-key secret from the config (inline or file), or why it cannot be used; undefined when none is configured. */
export function citizenKeySecret(config: ResolvedConfig, readSecretFile: (file: string) => string = (file) => readFileSync(file, 'utf8')): { secret: string } | { problem: string } | undefined {
  const { citizenKeySecret: inline, citizenKeySecretFile: file } = config.platform;
  if (inline !== undefined) return { secret: inline };
  if (file === undefined) return undefined;
  try {
    const secret = readSecretFile(file).trim();
    return secret.length >= 16 ? { secret } : { problem: 'citizen-key secret shorter than 16 characters' };
  } catch (err) {
    return { problem: `citizen-key secret file unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}

export function materialLookup(options: { settings: PlatformSettings; config: ResolvedConfig; logger: Logger; now: () => Date; timeoutMs?: number }): MaterialLookup {
  const { settings, logger } = options;
  const key = citizenKeySecret(options.config);
  if (key !== undefined && 'problem' in key) logger.error({ problem: key.problem }, '一号 material reuse is off');
  if (settings.kind !== 'ready' || key === undefined || 'problem' in key) return () => Promise.resolve({ kind: 'off' });
  const client = new PlatformClient({ ...settings.sync, now: options.now, logger, timeoutMs: options.timeoutMs ?? MATERIAL_LOOKUP_TIMEOUT_MS });
  return async (idNumber) => {
    const result = await client.reusableMaterials(citizenLookupKey(key.secret, idNumber));
    if (result.ok) return { kind: 'ok', materials: result.value.materials };
    // 404: the platform has reuse switched off (no citizen-key secret there).
    if (result.error.kind === 'refused' && result.error.status === 404) return { kind: 'off' };
    const reason = describeError(result.error);
    logger.warn({ reason }, 'reusable materials lookup failed; the citizen scans instead');
    return { kind: 'unavailable', reason };
  };
}
