/**
 * Electron preload (sandboxed, CommonJS): exposes only the text pipe of the
 * contract as `window.liuliuBridge` — the same shape the browser shell's
 * bridge gives — and nothing else of Electron or Node.
 */
import electron = require('electron');

const { contextBridge, ipcRenderer } = electron;
type IpcRendererEvent = electron.IpcRendererEvent;

const CHANNEL = 'liuliu:rpc';

contextBridge.exposeInMainWorld('liuliuBridge', {
  send(text: unknown): void {
    if (typeof text === 'string') ipcRenderer.send(CHANNEL, text);
  },
  onMessage(listener: (text: string) => void): () => void {
    const handler = (_event: IpcRendererEvent, text: unknown): void => {
      if (typeof text === 'string') listener(text);
    };
    ipcRenderer.on(CHANNEL, handler);
    return () => ipcRenderer.removeListener(CHANNEL, handler);
  },
});
