import { readFileSync } from 'node:fs';

/**
 * Whether process `pid` still runs: it exists and is not a zombie (a killed
 * process its parent has not reaped yet is dead for every purpose a test has,
 * e.g. "the child died with its parent"). Linux (/proc).
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}
