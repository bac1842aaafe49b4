// The main-process end of the bridge: one ipcMain.handle per ControlApi and DesktopApi
// method, each refusing any sender that is not the main frame of our window showing our page.
import { type IpcMainInvokeEvent, ipcMain } from 'electron';
import { CONTROL_METHODS, type ControlApi, DESKTOP_METHODS, type DesktopApi } from '../server/api.ts';
import { parseArgs } from '../server/control/args.ts';
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
  const channels: string[] = [];
  const handle = (method: BridgeMethod, call: (...args: unknown[]) => Promise<unknown>) => {
    const channel = channelFor(method);
    channels.push(channel);
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const problem = senderProblem(describeSender(event), options.window(), options.renderer);
      if (problem) {
        options.log(`ipc: refused ${method}: ${problem}`);
        throw new Error(`Porthole refused this call: ${problem}.`);
      }
      return call(...args);
    });
  };
  type Call = (...args: unknown[]) => Promise<unknown>;
  // The page is ours, but what it sends is checked like any input: the same schemas as the
  // headless control API.
  for (const method of CONTROL_METHODS)
    handle(method, (...args) => {
      const parsed = parseArgs(method, { args });
      if (!parsed.ok) throw new Error(parsed.message);
      return (options.control[method] as Call).apply(options.control, parsed.args);
    });
  for (const method of DESKTOP_METHODS)
    handle(method, (...args) => (options.desktop[method] as Call).apply(options.desktop, args));
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
