import { maskIdNumbersInText, maskName } from '../../common/pii.js';

/**
 * Content-based redaction for log records. Path-based redaction (pino's
 * `redact`) only catches fields we remember to list; citizens' data also turns
 * up inside messages and error texts, so every string is scanned instead.
 */

/** Keys whose string value is a person's name wherever they appear. */
const PERSON_NAME_KEYS = new Set(['citizenName', 'personName', 'holderName', 'applicantName', 'contactName']);
/** Keys whose value is never logged at all. */
const DROPPED_KEYS = new Set(['photo', 'fingerprint', 'textBlock', 'rawFrame']);

export class Redactor {
  /** Names of citizens currently known to the host (the active session). */
  private readonly knownNames = new Set<string>();

  rememberName(name: string): void {
    const trimmed = name.trim();
    if (Array.from(trimmed).length >= 2) this.knownNames.add(trimmed);
  }

  forgetName(name: string): void {
    this.knownNames.delete(name.trim());
  }

  text(value: string): string {
    let out = maskIdNumbersInText(value);
    for (const name of this.knownNames) {
      if (out.includes(name)) out = out.split(name).join(maskName(name));
    }
    return out;
  }

  value(value: unknown, key?: string, depth = 0): unknown {
    if (key !== undefined && DROPPED_KEYS.has(key)) return '[dropped]';
    if (typeof value === 'string') {
      return key !== undefined && PERSON_NAME_KEYS.has(key) ? maskName(value) : this.text(value);
    }
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) {
      return { type: value.name, message: this.text(value.message), stack: value.stack === undefined ? undefined : this.text(value.stack) };
    }
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((item) => this.value(item, undefined, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value)) out[childKey] = this.value(child, childKey, depth + 1);
    return out;
  }
}
