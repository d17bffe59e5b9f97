import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpeechError, fixWavSizes, synthesizeWav, wavDurationMs } from './espeak.js';

/** sox's own reading of the file: duration and RMS level, independent of our header parsing. */
function soxMeasure(wav: Buffer): { seconds: number; rmsDb: number } {
  const file = join(mkdtempSync(join(tmpdir(), 'liuliu-speech-')), 'call.wav');
  writeFileSync(file, wav);
  const seconds = Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());
  // sox prints its statistics on stderr.
  const stats = spawnSync('sox', [file, '-n', 'stats'], { encoding: 'utf8' }).stderr;
  const rms = /RMS lev dB\s+(-?[\d.]+|-inf)/.exec(stats)?.[1] ?? '-inf';
  return { seconds, rmsDb: rms === '-inf' ? -Infinity : Number(rms) };
}

describe('espeak-ng voice', () => {
  it('renders a call in Mandarin to a WAV that lasts as long as the words and is not silence', async () => {
    const wav = await synthesizeWav('A023号请到53号窗口', 'zh-CN');
    const { seconds, rmsDb } = soxMeasure(wav);
    // 17 spoken syllables ("A零二三号，请到五十三号窗口") at a hall's pace: a few seconds, not a click and not a minute.
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(12);
    expect(rmsDb).toBeGreaterThan(-35);
    expect(Math.abs(wavDurationMs(wav) / 1000 - seconds)).toBeLessThan(0.05);
  });

  it('spells the ticket number out: 023 adds its three syllables', async () => {
    const spelt = wavDurationMs(await synthesizeWav('A023号', 'zh-CN'));
    const letterOnly = wavDurationMs(await synthesizeWav('A号', 'zh-CN'));
    expect(spelt - letterOnly).toBeGreaterThan(600); // three more syllables: 零二三
  });

  it('speaks English with the English voice', async () => {
    const { seconds, rmsDb } = soxMeasure(await synthesizeWav('Number A023, please go to window 53.', 'en'));
    expect(seconds).toBeGreaterThan(1.5);
    expect(rmsDb).toBeGreaterThan(-35);
  });

  it('says clearly when espeak-ng is not installed', async () => {
    const failure = await synthesizeWav('你好', 'zh-CN', { command: 'espeak-ng-not-installed' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SpeechError);
    expect((failure as SpeechError).reason).toBe('missing');
  });

  it('fixes the sizes a pipe leaves at 0x7fffffff', () => {
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(0x7fffffff, 4);
    header.write('WAVEfmt ', 8, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(22050, 24);
    header.writeUInt32LE(44100, 28);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(0x7fffffff, 40);
    const fixed = fixWavSizes(Buffer.concat([header, Buffer.alloc(44100)]));
    expect(fixed.readUInt32LE(4)).toBe(44 + 44100 - 8);
    expect(fixed.readUInt32LE(40)).toBe(44100);
    expect(wavDurationMs(fixed)).toBe(1000);
    expect(() => fixWavSizes(Buffer.from('not a wav file at all, really not one at all......'))).toThrow(SpeechError);
  });
});
