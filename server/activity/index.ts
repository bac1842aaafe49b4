export { type ActivityListener, ActivityLog, type ActivityLogOptions } from './activity-log.ts';
export { type ActivityInput, systemEntry } from './entry.ts';
export { loadRecent } from './history.ts';
export { printableLine, REDACTED, sanitizeSummary, sanitizeText } from './sanitize.ts';
