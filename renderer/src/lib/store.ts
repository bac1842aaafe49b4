// Everything the window knows, as one reducer over the connector's events and the answers to
// its own requests. Pure, so the odd orders (an event before the first snapshot, a folder
// that is new, a reconnect with entries already shown) are tested without a DOM.
import type {
  ActivityEntry,
  ConnectedClient,
  ConnectorEvent,
  ConnectorState,
  FolderStatus,
} from '../../../server/api.ts';
import { ACTIVITY_CAP, mergeActivity, prependActivity } from './activity.ts';

export interface DashboardState {
  connector: ConnectorState | null;
  /** Newest first, at most ACTIVITY_CAP. */
  activity: ActivityEntry[];
  activityLoaded: boolean;
  activityError: string | null;
  clients: ConnectedClient[] | null;
  clientsError: string | null;
  /** The first getState failed (the snapshot may still arrive from the event stream). */
  loadError: string | null;
}

export const initialDashboardState: DashboardState = {
  connector: null,
  activity: [],
  activityLoaded: false,
  activityError: null,
  clients: null,
  clientsError: null,
  loadError: null,
};

export type DashboardAction =
  | { type: 'event'; event: ConnectorEvent }
  /** Live entries, in the order they arrived (batched per frame). */
  | { type: 'activityArrived'; entries: ActivityEntry[] }
  | { type: 'activityLoaded'; entries: ActivityEntry[] }
  | { type: 'activityFailed'; message: string }
  | { type: 'stateLoaded'; state: ConnectorState }
  | { type: 'loadFailed'; message: string }
  | { type: 'folderAdded'; status: FolderStatus }
  | { type: 'folderRemoved'; folderId: string }
  | { type: 'clientsLoaded'; clients: ConnectedClient[] }
  | { type: 'clientsFailed'; message: string }
  | { type: 'clientRevoked'; clientId: string };

function upsertFolder(state: ConnectorState, status: FolderStatus): ConnectorState {
  const index = state.folders.findIndex((folder) => folder.id === status.id);
  const folders =
    index === -1
      ? [...state.folders, status]
      : state.folders.map((folder, i) => (i === index ? status : folder));
  return { ...state, folders };
}

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case 'event': {
      const event = action.event;
      switch (event.type) {
        case 'state':
          return { ...state, connector: event.state, loadError: null };
        case 'folder':
          // Before the first snapshot there is nothing to update; the snapshot will carry it.
          return state.connector
            ? { ...state, connector: upsertFolder(state.connector, event.status) }
            : state;
        case 'activity':
          return { ...state, activity: prependActivity(state.activity, [event.entry], ACTIVITY_CAP) };
        default:
          return state;
      }
    }
    case 'activityArrived':
      return action.entries.length === 0
        ? state
        : { ...state, activity: prependActivity(state.activity, action.entries, ACTIVITY_CAP) };
    case 'activityLoaded':
      return {
        ...state,
        activity: mergeActivity(state.activity, action.entries, ACTIVITY_CAP),
        activityLoaded: true,
        activityError: null,
      };
    case 'activityFailed':
      return { ...state, activityError: action.message };
    case 'stateLoaded':
      // A snapshot from the event stream may be newer than this answer: keep it.
      return state.connector
        ? { ...state, loadError: null }
        : { ...state, connector: action.state, loadError: null };
    case 'loadFailed':
      return state.connector ? state : { ...state, loadError: action.message };
    case 'folderAdded':
      return state.connector ? { ...state, connector: upsertFolder(state.connector, action.status) } : state;
    case 'folderRemoved':
      return state.connector
        ? {
            ...state,
            connector: {
              ...state.connector,
              folders: state.connector.folders.filter((folder) => folder.id !== action.folderId),
            },
          }
        : state;
    case 'clientsLoaded':
      return { ...state, clients: action.clients, clientsError: null };
    case 'clientsFailed':
      return { ...state, clientsError: action.message };
    case 'clientRevoked':
      return state.clients
        ? { ...state, clients: state.clients.filter((client) => client.clientId !== action.clientId) }
        : state;
    default:
      return state;
  }
}

/** Activity that may change the list of connected clients (a registration, a grant, a revoke). */
export function affectsClients(entry: ActivityEntry): boolean {
  return entry.kind === 'auth';
}
