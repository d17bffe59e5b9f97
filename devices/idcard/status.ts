/**
 * SW3 reader status codes (spec §5) as data, each with the way a kiosk
 * handles it. Pure.
 */

/**
 * - `success`: the command did what was asked (90, and 9F for find).
 * - `no-content`: the card has nothing for this item (91), not an error.
 * - `keep-polling`: no card in the field (80); poll again silently.
 * - `replace-card`: the card moved or could not be read; ask to re-place it, retry from find.
 * - `resync`: host bug or line noise; drop input and retry.
 * - `out-of-service`: SAM hardware fault; take the reader out of service.
 */
export type StatusHandling = 'success' | 'no-content' | 'keep-polling' | 'replace-card' | 'resync' | 'out-of-service';

export interface StatusInfo {
  sw3: number;
  meaning: string;
  meaningZh: string;
  handling: StatusHandling;
}

export const SW3 = {
  success: 0x90,
  findSucceeded: 0x9f,
  noContent: 0x91,
  hostChecksumError: 0x10,
  hostLengthError: 0x11,
  badCommand: 0x21,
  notPermitted: 0x23,
  unrecognisedError: 0x24,
  cardRejectedSam: 0x31,
  samRejectedCard: 0x32,
  verificationError: 0x33,
  unknownCardType: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTestFailed: 0x60,
  samNotAuthorised: 0x66,
  noCard: 0x80,
  selectFailed: 0x81,
} as const;

const TABLE: readonly StatusInfo[] = [
  { sw3: 0x90, meaning: 'Success', meaningZh: '操作成功', handling: 'success' },
  { sw3: 0x9f, meaning: 'Find card succeeded', meaningZh: '寻找证/卡成功', handling: 'success' },
  { sw3: 0x91, meaning: 'Card has no content for this item', meaningZh: '证/卡中此项无内容', handling: 'no-content' },
  { sw3: 0x10, meaning: 'Reader received a frame with bad checksum', meaningZh: '接收业务终端数据的校验和错', handling: 'resync' },
  { sw3: 0x11, meaning: 'Reader received a frame with bad length', meaningZh: '接收业务终端数据的长度错', handling: 'resync' },
  { sw3: 0x21, meaning: 'Bad command', meaningZh: '接收业务终端的命令错误', handling: 'resync' },
  { sw3: 0x23, meaning: 'Operation not permitted', meaningZh: '越权操作', handling: 'resync' },
  { sw3: 0x24, meaning: 'Unrecognised error', meaningZh: '无法识别的错误', handling: 'replace-card' },
  { sw3: 0x31, meaning: 'Card failed to authenticate the SAM', meaningZh: '证/卡认证SAM失败', handling: 'replace-card' },
  { sw3: 0x32, meaning: 'SAM failed to authenticate the card', meaningZh: 'SAM认证证/卡失败', handling: 'replace-card' },
  { sw3: 0x33, meaning: 'Information verification error', meaningZh: '信息验证错误', handling: 'replace-card' },
  { sw3: 0x40, meaning: 'Unrecognised card type', meaningZh: '无法识别的证/卡类型', handling: 'replace-card' },
  { sw3: 0x41, meaning: 'Read card failed', meaningZh: '读证/卡操作失败', handling: 'replace-card' },
  { sw3: 0x47, meaning: 'Get random number failed', meaningZh: '取随机数失败', handling: 'replace-card' },
  { sw3: 0x60, meaning: 'SAM self-test failed; accepts no commands', meaningZh: 'SAM自检失败', handling: 'out-of-service' },
  { sw3: 0x66, meaning: 'SAM not authorised; unusable', meaningZh: 'SAM未经授权', handling: 'out-of-service' },
  { sw3: 0x80, meaning: 'Find card failed (no card in field)', meaningZh: '寻找证/卡失败', handling: 'keep-polling' },
  { sw3: 0x81, meaning: 'Select card failed', meaningZh: '选取证/卡失败', handling: 'replace-card' },
];

export const STATUS_TABLE: ReadonlyMap<number, StatusInfo> = new Map(TABLE.map((info) => [info.sw3, info]));

/** Codes the table does not know are treated as line noise: resync and retry. */
export function statusInfo(sw3: number): StatusInfo {
  return (
    STATUS_TABLE.get(sw3) ?? {
      sw3,
      meaning: `Unknown status 0x${hex(sw3)}`,
      meaningZh: `未知状态码 0x${hex(sw3)}`,
      handling: 'resync',
    }
  );
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
