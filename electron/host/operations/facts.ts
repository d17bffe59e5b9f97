import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PaperState } from '../../../platform-contract/contract.js';
import type { DeviceStatus } from '../../contract/index.js';
import type { ContentPackage } from '../content/schema.js';
import { defaultModelDir } from '../robot/module.js';

/** Receipt paper from the printer's last health report (pure). */
export function paperState(printer: DeviceStatus | undefined, configured: boolean): PaperState {
  if (!configured) return 'none';
  if (printer === undefined) return 'unknown';
  if (printer.reason?.code === 'device.printerFault' && printer.reason.params['reason'] === 'paper_out') return 'out';
  if (printer.reason?.code === 'device.printerPaperNearEnd') return 'near-end';
  return printer.state === 'ok' ? 'ok' : 'unknown';
}

const modelHashes = new Map<string, { key: string; version: string }>();

/** The intent model in force: the first 12 hex digits of the sha256 of its weights (cached per file and mtime); null when unreadable. */
export function modelVersion(content: ContentPackage): string | null {
  const weights = join(defaultModelDir(content), 'weights.bin');
  try {
    const stat = statSync(weights);
    const key = `${stat.size}:${stat.mtimeMs}`;
    const cached = modelHashes.get(weights);
    if (cached?.key === key) return cached.version;
    const version = createHash('sha256').update(readFileSync(weights)).digest('hex').slice(0, 12);
    modelHashes.set(weights, { key, version });
    return version;
  } catch {
    return null;
  }
}
