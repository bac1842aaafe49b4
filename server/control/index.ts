// The headless dashboard's control listener and its client; see server.ts.
export {
  type ControlClient,
  type ControlClientOptions,
  ControlRequestError,
  createControlClient,
} from './client.ts';
export {
  CONTROL_INFO_FILE,
  type ControlInfo,
  readControlInfo,
  removeControlInfo,
  writeControlInfo,
} from './info.ts';
export {
  CONTROL_BODY_LIMIT_BYTES,
  type ControlServer,
  type ControlServerOptions,
  DEFAULT_PING_MS,
  startControlServer,
} from './server.ts';
