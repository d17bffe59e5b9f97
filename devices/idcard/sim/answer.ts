/**
 * What a SAM_V reader answers to each command, given the card in its field
 * and the status-level fault in force. Pure; delivery faults (split, glued,
 * slow, corrupted checksum) are applied by the simulator on the way out.
 */
import { buildResponse } from '../commands.js';
import type { CommandName } from '../commands.js';
import { buildReadPayload, encodeNewestAddress } from '../payload.js';
import { SW3 } from '../status.js';
import { encodeTextBlock } from '../text-block.js';
import type { SimCard } from './cards.js';

export type StatusFault = { kind: 'no-card' } | { kind: 'select-fails' } | { kind: 'read-fails' } | { kind: 'sam-fault'; sw3: 0x60 | 0x66 };

export interface ReaderModel {
  card: SimCard | null;
  /** After a read, some readers do not find the same card until it leaves the field (spec §3 step 6). */
  halted: boolean;
  fault: StatusFault | null;
}

export interface Answer {
  frame: Buffer;
  /** The card was read successfully (the simulator halts it if so configured). */
  cardRead: boolean;
}

export const PHOTO_BYTES = 1024;
const FIND_DATA = Buffer.alloc(4);
const SELECT_DATA = Buffer.alloc(8);
/** Renders as 05.01-20260101-1-1. */
const SAM_ID = (() => {
  const id = Buffer.alloc(16);
  id[0] = 5;
  id[2] = 1;
  id.writeUInt32LE(20260101, 4);
  id.writeUInt32LE(1, 8);
  id.writeUInt32LE(1, 12);
  return id;
})();

/** `command` undefined = a CMD/Para pair the reader does not know. */
export function answerCommand(command: CommandName | undefined, model: ReaderModel): Answer {
  const plain = (sw3: number, data?: Uint8Array): Answer => ({ frame: buildResponse(sw3, data), cardRead: false });
  if (command === undefined) return plain(SW3.badCommand);
  const fault = model.fault;
  if (fault?.kind === 'sam-fault') return plain(fault.sw3);
  const cardInField = model.card !== null && !model.halted && fault?.kind !== 'no-card';
  switch (command) {
    case 'resetSam':
    case 'samStatus':
      return plain(SW3.success);
    case 'readSamId':
      return plain(SW3.success, SAM_ID);
    case 'findCard':
      return cardInField ? plain(SW3.findSucceeded, FIND_DATA) : plain(SW3.noCard);
    case 'selectCard':
      if (!cardInField) return plain(SW3.noCard);
      return fault?.kind === 'select-fails' ? plain(SW3.selectFailed) : plain(SW3.success, SELECT_DATA);
    case 'readBase':
    case 'readWithFingerprint': {
      const card = model.card;
      if (!cardInField || card === null || fault?.kind === 'read-fails') return plain(SW3.readFailed);
      const text = encodeTextBlock(card.fields, card.typeFlag);
      const photo = card.photo ?? Buffer.alloc(PHOTO_BYTES);
      // Simulated cards have no enrolled fingerprints: fingerprint length 0.
      const payload = command === 'readBase' ? buildReadPayload([text, photo]) : buildReadPayload([text, photo, Buffer.alloc(0)]);
      return { frame: buildResponse(SW3.success, payload), cardRead: true };
    }
    case 'readNewestAddress': {
      const address = model.card?.appendedAddress;
      if (!cardInField) return plain(SW3.readFailed);
      return address === undefined ? plain(SW3.noContent) : plain(SW3.success, encodeNewestAddress(address));
    }
    case 'setBaud115200':
    case 'setBaud57600':
    case 'setBaud38400':
    case 'setBaud19200':
    case 'setBaud9600':
      return plain(SW3.success);
  }
}
