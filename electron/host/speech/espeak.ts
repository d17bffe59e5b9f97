import { spawn } from 'node:child_process';
import { speakableEn, speakableZh } from './speakable.js';

/**
 * The terminal's own voice: espeak-ng (Debian package `espeak-ng`), Mandarin
 * voice `cmn` for zh-CN and `en` for English. It runs offline, needs no
 * browser voice, and renders a sentence in tens of milliseconds. The text goes
 * in on stdin (never as an argument), the WAV comes back on stdout.
 */
export type SpeechLocale = 'zh-CN' | 'en';

export interface EspeakOptions {
  /** The espeak-ng executable; `espeak-ng` on PATH by default. */
  command?: string;
  /** Words per minute; espeak-ng's default 175 is fast for citizens, halls speak slower. */
  rate?: number;
  timeoutMs?: number;
}

/** espeak-ng's voice names in the Debian build (`espeak-ng --voices=zh`): `cmn` is Mandarin, reading Latin letters as English. */
export const VOICES: Record<SpeechLocale, string> = { 'zh-CN': 'cmn', en: 'en' };

export const MAX_SPOKEN_CHARS = 600;

export class SpeechError extends Error {
  constructor(
    readonly reason: 'missing' | 'failed' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'SpeechError';
  }
}

/** The text the synthesiser gets: numbers spelt for the locale, control characters out, bounded. */
export function speakable(text: string, locale: SpeechLocale): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_SPOKEN_CHARS);
  return locale === 'en' ? speakableEn(clean) : speakableZh(clean);
}

/**
 * espeak-ng writing to a pipe cannot seek back, so its RIFF and data sizes
 * say 0x7fffffff; players that trust them (Chromium's <audio>) would wait
 * for data that never comes. Sets both sizes from the bytes actually there.
 */
export function fixWavSizes(wav: Buffer): Buffer {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new SpeechError('failed', 'espeak-ng did not write a WAV file');
  const fixed = Buffer.from(wav);
  fixed.writeUInt32LE(fixed.length - 8, 4);
  let offset = 12;
  while (offset + 8 <= fixed.length) {
    const id = fixed.toString('ascii', offset, offset + 4);
    if (id === 'data') {
      fixed.writeUInt32LE(fixed.length - offset - 8, offset + 4);
      return fixed;
    }
    offset += 8 + fixed.readUInt32LE(offset + 4);
  }
  throw new SpeechError('failed', 'the WAV from espeak-ng has no data chunk');
}

/** Renders text to a WAV (16-bit mono PCM, 22 050 Hz). Rejects with a SpeechError; never throws synchronously. */
export function synthesizeWav(text: string, locale: SpeechLocale, options: EspeakOptions = {}): Promise<Buffer> {
  const input = speakable(text, locale);
  const command = options.command ?? 'espeak-ng';
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let stderr = '';
    const child = spawn(command, ['-v', VOICES[locale], '-s', String(options.rate ?? 150), '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new SpeechError('timeout', `espeak-ng took longer than ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-500);
    });
    child.stdin.on('error', () => undefined); // a missing executable closes stdin; the 'error' event below says why
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new SpeechError('missing', `${command} is not installed (Debian package espeak-ng)`) : new SpeechError('failed', error.message));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (exitCode !== 0) return reject(new SpeechError('failed', `espeak-ng exited with ${exitCode}: ${stderr.trim()}`));
      try {
        resolve(fixWavSizes(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new SpeechError('failed', String(error)));
      }
    });
    child.stdin.end(input, 'utf8');
  });
}

/** Duration of a PCM WAV in milliseconds, from its header and data size. */
export function wavDurationMs(wav: Buffer): number {
  const byteRate = wav.readUInt32LE(28);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const size = wav.readUInt32LE(offset + 4);
    if (wav.toString('ascii', offset, offset + 4) === 'data') return Math.round((Math.min(size, wav.length - offset - 8) / byteRate) * 1000);
    offset += 8 + size;
  }
  return 0;
}

export function wavDataUrl(wav: Buffer): string {
  return `data:audio/wav;base64,${wav.toString('base64')}`;
}
