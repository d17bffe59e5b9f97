import { describe, expect, it } from 'vitest';
import { ticketQrBase } from './ticket-link.js';

describe('ticket QR base', () => {
  it('uses a public address as configured, without a trailing slash', () => {
    expect(ticketQrBase('https://queue.hall.example/')).toEqual({ base: 'https://queue.hall.example', problem: null });
    expect(ticketQrBase('http://192.168.10.5:8790')).toEqual({ base: 'http://192.168.10.5:8790', problem: null });
  });

  it('gives no QR code for an address only this machine can open', () => {
    for (const base of ['http://127.0.0.1:8790', 'http://127.1.2.3', 'http://localhost:8790', 'http://kiosk.localhost', 'http://[::1]:8790', 'http://0.0.0.0:8790', 'http://[::]:8790'])
      expect(ticketQrBase(base), base).toEqual({ base: null, problem: 'loopback' });
  });

  it('gives no QR code without an address, or with one that is not a URL', () => {
    expect(ticketQrBase(undefined)).toEqual({ base: null, problem: 'missing' });
    expect(ticketQrBase('http://')).toEqual({ base: null, problem: 'invalid' });
  });
});
