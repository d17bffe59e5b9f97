import { describe, expect, it } from 'vitest';
import { DEFAULT_APPOINTMENT_WINDOW, checkInWindow, decideCheckIn, isNoShow, normalizeAppointmentCode, pickForCitizen, type AppointmentFacts } from './appointments.js';

const W = DEFAULT_APPOINTMENT_WINDOW;
const at = (hhmm: string, day = '2026-11-25'): Date => new Date(`${day}T${hhmm}:00+08:00`);
const booked = (slot: string, extra: Partial<AppointmentFacts> = {}): AppointmentFacts => ({
  id: `a-${slot}`,
  state: 'booked',
  day: '2026-11-25',
  slotStart: at(slot).toISOString(),
  ticketRequestId: null,
  ...extra,
});

describe('appointment check-in rules', () => {
  it('opens 30 minutes before the slot and closes 15 minutes after its start (configurable)', () => {
    expect(checkInWindow(at('10:00').toISOString(), W)).toEqual({ opensAt: at('09:30'), closesAt: at('10:15') });
    expect(checkInWindow(at('10:00').toISOString(), { earlyMinutes: 10, lateMinutes: 5 })).toEqual({ opensAt: at('09:50'), closesAt: at('10:05') });
  });

  it('decides inside, before and after the window, for another day, used and cancelled', () => {
    expect(decideCheckIn(booked('10:00'), at('09:29'), W, 'r1')).toEqual({ ok: false, code: 'appointment-too-early' });
    expect(decideCheckIn(booked('10:00'), at('09:30'), W, 'r1')).toEqual({ ok: true, repeat: false });
    expect(decideCheckIn(booked('10:00'), at('10:15'), W, 'r1')).toEqual({ ok: true, repeat: false });
    expect(decideCheckIn(booked('10:00'), at('10:16'), W, 'r1')).toEqual({ ok: false, code: 'appointment-too-late' });
    expect(decideCheckIn(booked('10:00', { day: '2026-11-26' }), at('10:00'), W, 'r1')).toEqual({ ok: false, code: 'appointment-other-day' });
    expect(decideCheckIn(booked('10:00', { state: 'checked-in', ticketRequestId: 'r1' }), at('10:00'), W, 'r2')).toEqual({ ok: false, code: 'appointment-used' });
    expect(decideCheckIn(booked('10:00', { state: 'checked-in', ticketRequestId: 'r1' }), at('10:00'), W, 'r1')).toEqual({ ok: true, repeat: true });
    expect(decideCheckIn(booked('10:00', { state: 'cancelled' }), at('10:00'), W, 'r1')).toEqual({ ok: false, code: 'appointment-cancelled' });
    expect(decideCheckIn(booked('10:00', { state: 'no-show' }), at('10:00'), W, 'r1')).toEqual({ ok: false, code: 'appointment-too-late' });
  });

  it('a placed card checks in the appointment whose window is open, else the next one, else the latest', () => {
    const morning = booked('09:00');
    const late = booked('11:00');
    expect(pickForCitizen([late, morning], at('08:45'), W)).toBe(morning);
    expect(pickForCitizen([late, morning], at('10:00'), W)).toBe(late);
    expect(pickForCitizen([late, morning], at('10:45'), W)).toBe(late);
    expect(pickForCitizen([late, morning], at('12:00'), W)).toBe(late);
    expect(pickForCitizen([], at('12:00'), W)).toBeUndefined();
  });

  it('releases a booked appointment as a no-show only after its window closes', () => {
    expect(isNoShow(booked('10:00'), at('10:15'), W)).toBe(false);
    expect(isNoShow(booked('10:00'), at('10:16'), W)).toBe(true);
    expect(isNoShow(booked('10:00', { state: 'checked-in' }), at('12:00'), W)).toBe(false);
  });

  it('reads a typed code with spaces or dashes, and nothing else', () => {
    expect(normalizeAppointmentCode(' 1234 5678 ')).toBe('12345678');
    expect(normalizeAppointmentCode('1234-5678')).toBe('12345678');
    expect(normalizeAppointmentCode('1234567')).toBeNull();
    expect(normalizeAppointmentCode('1234567a')).toBeNull();
  });
});
