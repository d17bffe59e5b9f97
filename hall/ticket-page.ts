import type { TicketInfo } from './protocol/types.js';

/**
 * The page behind the QR code on a ticket: the citizen scans it with her
 * phone and sees her number, where it stands and how long to wait. The
 * ticket id in the URL is unguessable, so the page needs no login; it shows
 * no name. Pure: ticket facts in, HTML out.
 */
const STATUS_TEXT: Record<TicketInfo['ticket']['status'], string> = {
  waiting: '等候中',
  called: '已叫号',
  skipped: '已过号，请联系窗口工作人员',
  finished: '已办结',
  dropped: '已失效',
  void: '已作废',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function ticketPageHtml(info: TicketInfo | undefined, hallName: string): string {
  const body =
    info === undefined
      ? '<p class="status">没有找到这张排队号，请以大厅叫号屏为准。</p>'
      : [
          `<p class="number">${escapeHtml(info.ticket.displayNo)}</p>`,
          `<p class="status">${STATUS_TEXT[info.ticket.status]}</p>`,
          info.ticket.status === 'called' && info.ticket.windowNo !== null ? `<p class="where">请到 ${escapeHtml(info.ticket.windowNo)} 号窗口办理</p>` : '',
          info.ticket.status === 'waiting' && info.peopleAhead !== null ? `<p>前面还有 <b>${info.peopleAhead}</b> 人</p>` : '',
          info.ticket.status === 'waiting' && info.etaMinutes !== null ? `<p>预计等候约 <b>${info.etaMinutes}</b> 分钟</p>` : '',
          `<p class="small">取号时间 ${escapeHtml(new Date(info.ticket.issuedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }))}</p>`,
        ].join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="30"><title>排队号 · ${escapeHtml(hallName)}</title><style>body{font-family:sans-serif;text-align:center;margin:2rem;color:#14213d}.number{font-size:4rem;font-weight:700;margin:.5rem 0}.status{font-size:1.5rem}.where{font-size:1.4rem;color:#c8102e;font-weight:700}.small{color:#51607a}</style></head><body><h1>${escapeHtml(hallName)}</h1>${body}</body></html>`;
}
