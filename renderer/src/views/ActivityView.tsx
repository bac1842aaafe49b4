import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ActivityEntry, ActivityKind } from '../../../server/api.ts';
import { Icon } from '../components/Icon.tsx';
import { EmptyState, ErrorText, Spinner } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import {
  ACTIVITY_CAP,
  type ActivityFilter,
  activityAction,
  activityClient,
  activityKey,
  filterActivity,
  isFiltering,
  NO_FILTER,
  rowsAddedAbove,
} from '../lib/activity.ts';
import {
  exportFileName,
  formatClock,
  formatCount,
  formatDateTime,
  formatLatency,
  formatOutcome,
} from '../lib/format.ts';
import { ViewHeader } from './ViewHeader.tsx';

const ROW_HEIGHT = 40;
/** Below this width a row is a small card (three lines) instead of a table row: no sideways scroll. */
const NARROW_QUERY = '(max-width: 760px)';
const CARD_HEIGHT = 84;

function useMatches(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}
const KINDS: { value: ActivityKind | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'mcp', label: 'MCP' },
  { value: 'auth', label: 'Auth' },
  { value: 'system', label: 'System' },
];
const KIND_LABELS: Record<ActivityKind, string> = { mcp: 'MCP', auth: 'Auth', system: 'System' };

const ActivityRow = memo(function ActivityRow({
  entry,
  index,
  start,
}: {
  entry: ActivityEntry;
  index: number;
  start: number;
}) {
  const client = activityClient(entry);
  const action = activityAction(entry);
  const outcome = formatOutcome(entry.outcome);
  return (
    <tr
      aria-rowindex={index + 2}
      className={entry.outcome.ok ? 'activity-row' : 'activity-row activity-row-error'}
      data-testid="activity-row"
      data-kind={entry.kind}
      style={{ transform: `translateY(${start}px)` }}
    >
      <td className="col-time" title={formatDateTime(entry.time)}>
        {formatClock(entry.time)}
      </td>
      <td className="col-kind">
        <span className={`kind kind-${entry.kind}`}>{KIND_LABELS[entry.kind] ?? entry.kind}</span>
      </td>
      <td className="col-client" title={entry.login ? `${client} as @${entry.login}` : client}>
        {client || <span className="muted">—</span>}
      </td>
      <td className="col-action" title={entry.method}>
        {action}
      </td>
      <td className="col-summary" title={entry.summary}>
        {entry.summary || <span className="muted">—</span>}
      </td>
      <td className={entry.outcome.ok ? 'col-result' : 'col-result danger-text'} title={outcome}>
        {!entry.outcome.ok && <Icon name="warning" size={13} />}
        {outcome}
      </td>
      <td className="col-latency">{formatLatency(entry.latencyMs)}</td>
    </tr>
  );
});

function download(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Chromium reads the blob asynchronously after the click.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ActivityView() {
  const { dashboard, bridge } = useApp();
  const narrow = useMatches(NARROW_QUERY);
  const rowSize = narrow ? CARD_HEIGHT : ROW_HEIGHT;
  const exporting = useAction(async () =>
    download(await bridge.exportActivity(), exportFileName(new Date())),
  );
  const { activity, activityLoaded, activityError } = dashboard.state;
  const [filter, setFilter] = useState<ActivityFilter>(NO_FILTER);
  const deferredFilter = useDeferredValue(filter);
  const entries = useMemo(() => filterActivity(activity, deferredFilter), [activity, deferredFilter]);
  const [following, setFollowing] = useState(true);
  const [pausedTopKey, setPausedTopKey] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchId = useId();
  const filtering = isFiltering(deferredFilter);

  // Stable callbacks: the virtualizer recomputes all 10,000 positions when getItemKey changes.
  const getItemKey = useCallback((index: number) => activityKey(entries[index] as ActivityEntry), [entries]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const estimateSize = useCallback(() => rowSize, [rowSize]);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement,
    estimateSize,
    overscan: 12,
    getItemKey,
  });

  // Rows change height with the layout (table rows or cards): place them again.
  const measuredSize = useRef(rowSize);
  useLayoutEffect(() => {
    if (measuredSize.current === rowSize) return;
    measuredSize.current = rowSize;
    virtualizer.measure();
  }, [virtualizer, rowSize]);

  // New entries arrive on top. Following: stay on top. Paused: keep the rows in view where
  // they are, by scrolling down exactly as far as the new rows pushed them.
  const topKeyRef = useRef<string | null>(null);
  const filterRef = useRef(deferredFilter);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const previousTop = topKeyRef.current;
    const filterChanged = filterRef.current !== deferredFilter;
    topKeyRef.current = entries[0] ? activityKey(entries[0]) : null;
    filterRef.current = deferredFilter;
    if (!element) return;
    if (following || filterChanged) {
      if (element.scrollTop !== 0) element.scrollTop = 0;
      return;
    }
    const added = rowsAddedAbove(entries, previousTop);
    if (added > 0) element.scrollTop += added * rowSize;
  }, [entries, following, deferredFilter, rowSize]);

  const pause = useCallback(() => {
    setFollowing(false);
    setPausedTopKey(topKeyRef.current);
  }, []);
  const follow = useCallback(() => {
    setFollowing(true);
    setPausedTopKey(null);
  }, []);

  // Scrolling away from the newest entries pauses; scrolling back to the top follows again.
  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const atTop = element.scrollTop < rowSize / 2;
    if (atTop && !following) follow();
    else if (!atTop && following) pause();
  }, [following, follow, pause, rowSize]);

  const newWhilePaused = following ? 0 : Math.max(0, rowsAddedAbove(entries, pausedTopKey));

  // Escape in the filter field clears it.
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const countText = filtering
    ? `${formatCount(entries.length)} of ${formatCount(activity.length)}`
    : `${formatCount(activity.length)} ${activity.length === 1 ? 'entry' : 'entries'}`;

  const items = virtualizer.getVirtualItems();

  return (
    <div className="activity-view">
      <ViewHeader
        title="Activity"
        subtitle="Every request as it happens: who asked, for what, and how it went."
        actions={
          <div className="export-action">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void exporting.run()}
              disabled={exporting.pending}
              title="Save the whole activity log Porthole keeps (not only what is loaded here) as JSON Lines"
            >
              {exporting.pending ? <Spinner size={14} /> : <Icon name="download" />}
              Export JSONL
            </button>
            <ErrorText>{exporting.error}</ErrorText>
          </div>
        }
      />

      <search className="toolbar">
        <div className="search-field">
          <Icon name="search" className="search-icon" />
          <label htmlFor={searchId} className="visually-hidden">
            Filter activity
          </label>
          <input
            id={searchId}
            ref={searchRef}
            className="input search-input"
            type="search"
            placeholder="Filter by client, query…"
            value={filter.text}
            onChange={(event) => setFilter((f) => ({ ...f, text: event.target.value }))}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && filter.text) {
                event.preventDefault();
                setFilter((f) => ({ ...f, text: '' }));
              }
            }}
            spellCheck={false}
            autoComplete="off"
          />
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">Kind</legend>
          {KINDS.map((kind) => (
            <button
              key={kind.value}
              type="button"
              className="segment"
              aria-pressed={filter.kind === kind.value}
              onClick={() => setFilter((f) => ({ ...f, kind: kind.value }))}
            >
              {kind.label}
            </button>
          ))}
        </fieldset>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filter.errorsOnly}
            onChange={(event) => setFilter((f) => ({ ...f, errorsOnly: event.target.checked }))}
          />
          Errors only
        </label>
        <span className="toolbar-spacer" />
        <span className="toolbar-count" aria-live="polite" data-testid="activity-count">
          {countText}
        </span>
        {/* Its name says what a press does now, however it was paused (button or scrolling). */}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="auto-scroll"
          onClick={() => (following ? pause() : follow())}
          title={following ? 'Keep the view still while new entries arrive' : 'Follow new entries again'}
        >
          <Icon name={following ? 'pause' : 'play'} size={14} />
          {following ? 'Pause auto-scroll' : 'Resume auto-scroll'}
        </button>
      </search>

      <div className="log">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the log must scroll with the keyboard */}
        <div className="log-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0}>
          <table
            className={narrow ? 'log-table log-cards' : 'log-table'}
            aria-label="Activity log"
            aria-rowcount={entries.length + 1}
          >
            <thead className="log-head">
              <tr aria-rowindex={1} className="activity-row activity-head">
                <th scope="col" className="col-time">
                  Time
                </th>
                <th scope="col" className="col-kind">
                  Kind
                </th>
                <th scope="col" className="col-client">
                  Client
                </th>
                <th scope="col" className="col-action">
                  Tool
                </th>
                <th scope="col" className="col-summary">
                  Query or document
                </th>
                <th scope="col" className="col-result">
                  Result
                </th>
                <th scope="col" className="col-latency">
                  Latency
                </th>
              </tr>
            </thead>
            <tbody className="log-body" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => (
                <ActivityRow
                  key={item.key}
                  entry={entries[item.index] as ActivityEntry}
                  index={item.index}
                  start={item.start}
                />
              ))}
            </tbody>
          </table>
        </div>

        {!following && (
          <button type="button" className="jump-newest" onClick={follow}>
            <Icon name="arrowUp" size={14} />
            {newWhilePaused > 0 ? `${formatCount(newWhilePaused)} new · Jump to newest` : 'Jump to newest'}
          </button>
        )}

        {entries.length === 0 && (
          <div className="log-overlay">
            {!activityLoaded && !activityError ? (
              <div className="loading-inline">
                <Spinner size={18} /> Loading the activity log…
              </div>
            ) : activityError && activity.length === 0 ? (
              <div className="log-overlay-error">
                <ErrorText>{activityError}</ErrorText>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => void dashboard.reloadActivity()}
                >
                  Try again
                </button>
              </div>
            ) : filtering ? (
              <EmptyState
                icon="search"
                title="Nothing matches"
                action={
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setFilter(NO_FILTER)}
                  >
                    Clear the filter
                  </button>
                }
              >
                No entry matches the filter. The window holds the last {formatCount(ACTIVITY_CAP)} entries;
                Export JSONL saves the whole log Porthole keeps.
              </EmptyState>
            ) : (
              <EmptyState icon="activity" title="No activity yet">
                When ChatGPT searches or reads a document, each call shows up here as it happens.
              </EmptyState>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
