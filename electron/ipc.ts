// The main-process end of the bridge: one ipcMain.handle per ControlApi and DesktopApi
// method, each refusing any sender that is not the main frame of our window showing our page,
// then any arguments its schema (server/api-schemas.ts) refuses.
import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { CONTROL_METHODS, type ControlApi, DESKTOP_METHODS, type DesktopApi } from '../server/api.ts';
import { checkArgs } from '../server/api-schemas.ts';
import { type BridgeMethod, channelFor } from './bridge.ts';
import { isOurRendererUrl, type RendererLocation } from './renderer-location.ts';

/** What a handler knows about who called it. */
export interface SenderInfo {
  webContentsId: number;
  /** null when the frame navigated away or was destroyed before the call arrived. */
  frame: { url: string; frameTreeNodeId: number; isMainFrame: boolean } | null;
}

/** The Porthole window as it is now; null while it is closed. */
export interface TrustedWindow {
  webContentsId: number;
  mainFrameTreeNodeId: number;
}

/** What senderProblem needs of the open window (null while it is closed). */
export function trustedWindow(win: BrowserWindow | null): TrustedWindow | null {
  return win
    ? { webContentsId: win.webContents.id, mainFrameTreeNodeId: win.webContents.mainFrame.frameTreeNodeId }
    : null;
}

/** Why a call is refused, or null when it comes from our page in our window's main frame. */
export function senderProblem(
  sender: SenderInfo,
  window: TrustedWindow | null,
  renderer: RendererLocation,
): string | null {
  const { frame } = sender;
  if (!frame) return 'the calling frame is gone';
  if (!window || sender.webContentsId !== window.webContentsId)
    return 'it does not come from the Porthole window';
  if (!frame.isMainFrame || frame.frameTreeNodeId !== window.mainFrameTreeNodeId)
    return 'it comes from a frame inside the page';
  if (!isOurRendererUrl(frame.url, renderer))
    return `it comes from a page Porthole did not load (${frame.url})`;
  return null;
}

function describeSender(event: IpcMainInvokeEvent): SenderInfo {
  let frame: SenderInfo['frame'] = null;
  try {
    const f = event.senderFrame;
    if (f) frame = { url: f.url, frameTreeNodeId: f.frameTreeNodeId, isMainFrame: f.parent === null };
  } catch {
    // A frame destroyed mid-call throws on access: treat it as gone.
  }
  return { webContentsId: event.sender.id, frame };
}

export interface IpcOptions {
  control: ControlApi;
  desktop: DesktopApi;
  window: () => TrustedWindow | null;
  renderer: RendererLocation;
  log: (line: string) => void;
}

/** Registers every handler; the returned function removes them again. */
export function registerIpc(options: IpcOptions): () => void {
  type Call = (...args: unknown[]) => Promise<unknown>;
  const channels: string[] = [];
  const handle = (method: BridgeMethod, call: Call) => {
    const channel = channelFor(method);
    channels.push(channel);
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const problem = senderProblem(describeSender(event), options.window(), options.renderer);
      if (problem) {
        options.log(`ipc: refused ${method}: ${problem}`);
        throw new Error(`Porthole refused this call: ${problem}.`);
      }
      // The page is ours, but what it sends is checked like any input: the same schemas as
      // the headless control API.
      const checked = checkArgs(method, args);
      if (!checked.ok) {
        options.log(`ipc: refused ${method}: bad arguments`);
        throw new Error(checked.message);
      }
      return call(...checked.args);
    });
  };
  for (const method of CONTROL_METHODS)
    handle(method, (...args) => (options.control[method] as Call).apply(options.control, args));
  for (const method of DESKTOP_METHODS)
    handle(method, (...args) => (options.desktop[method] as Call).apply(options.desktop, args));
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
