import { useId } from 'react';
import type { FolderStatus } from '../../../server/api.ts';
import { AddFolder } from '../components/AddFolder.tsx';
import { useConfirm } from '../components/ConfirmDialog.tsx';
import { Icon } from '../components/Icon.tsx';
import { Chip, EmptyState, ErrorText, ProgressBar, Spinner } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { useNow } from '../hooks/useNow.ts';
import {
  errorReasonText,
  folderCounts,
  folderDisplayNames,
  folderProgress,
  folderStateLabel,
  IndexingClock,
  indexingSummary,
  isBusy,
  splitPathForDisplay,
} from '../lib/folders.ts';
import { formatCount, formatDateTime, formatRelative } from '../lib/format.ts';
import type { Tone } from '../lib/status.ts';
import { ViewHeader } from './ViewHeader.tsx';

function stateTone(status: FolderStatus): Tone {
  switch (status.state) {
    case 'watching':
      return 'ok';
    case 'scanning':
    case 'indexing':
      return 'pending';
    case 'error':
      return 'danger';
  }
}

// Outlives the view, so switching views does not restart the time estimate.
const indexingClock = new IndexingClock();

/** The path with a middle ellipsis: the start gives way first, the last two segments always show. */
export function FolderPath({ path }: { path: string }) {
  const { head, tail } = splitPathForDisplay(path);
  return (
    <p className="folder-path mono" title={path}>
      {head && <span className="folder-path-head">{head}</span>}
      <span className="folder-path-tail">{tail}</span>
    </p>
  );
}

function FolderRow({ folder, now, displayName }: { folder: FolderStatus; now: number; displayName: string }) {
  const { bridge, dashboard } = useApp();
  const { confirm, dialog } = useConfirm();
  const nameId = useId();
  const progress = folderProgress(folder);
  const busy = isBusy(folder);
  const indexing = busy ? indexingSummary(folder, indexingClock.sample(folder, now), now) : null;
  const reindex = useAction(() => bridge.reindexFolder(folder.id));
  const remove = useAction(async () => {
    await bridge.removeFolder(folder.id);
    dashboard.dispatch({ type: 'folderRemoved', folderId: folder.id });
  });

  const askRemove = async () => {
    const ok = await confirm({
      title: `Stop sharing “${displayName}”?`,
      body: (
        <p>
          ChatGPT will no longer find or read anything in <code className="inline-code">{folder.path}</code>.
          The files stay where they are; only Porthole’s index of them is deleted.
        </p>
      ),
      confirmLabel: 'Remove folder',
      danger: true,
    });
    if (ok) await remove.run();
  };

  return (
    <li className="folder-row" data-testid="folder-row">
      <div className="folder-icon" aria-hidden="true">
        <Icon name="folder" size={20} />
      </div>
      <div className="folder-main">
        <div className="folder-title-row">
          <h3 className="folder-name" id={nameId}>
            {displayName}
          </h3>
          <Chip tone={stateTone(folder)}>
            {indexing?.percent != null ? `Indexing ${indexing.percent}%` : folderStateLabel(folder)}
          </Chip>
        </div>
        <FolderPath path={folder.path} />
        {progress.kind !== 'none' && indexing && (
          <div className="folder-progress">
            <ProgressBar
              value={progress.kind === 'determinate' ? progress.value : null}
              label={`Indexing ${displayName}`}
              valueText={indexing.text}
            />
            <span className="folder-progress-text" data-testid="folder-progress">
              {indexing.text}
            </span>
          </div>
        )}
        <p className="folder-meta">
          <span data-testid="folder-counts">{folderCounts(folder)}</span>
          {/* While the first run goes on, the progress line above says it all. */}
          {(folder.lastIndexedAt || !busy) && (
            <>
              <span aria-hidden="true"> · </span>
              <span title={formatDateTime(folder.lastIndexedAt)}>
                {folder.lastIndexedAt
                  ? `Indexed ${formatRelative(folder.lastIndexedAt, now)}`
                  : 'Not indexed yet'}
              </span>
            </>
          )}
        </p>
        {folder.message && <ErrorText>{folder.message}</ErrorText>}
        {folder.errors.length > 0 && (
          <details className="disclosure folder-errors">
            <summary>
              <Icon name="chevronDown" className="disclosure-icon" />
              {folder.errors.length === 1
                ? '1 file could not be indexed'
                : `${formatCount(folder.errors.length)} files could not be indexed`}
            </summary>
            <ul className="error-list">
              {folder.errors.map((error) => (
                <li key={`${error.path}\n${error.reason}`}>
                  <span className="mono error-path" title={error.path}>
                    {error.path}
                  </span>
                  <span className="error-reason">{errorReasonText(error.reason)}</span>
                </li>
              ))}
            </ul>
          </details>
        )}
        <ErrorText>{reindex.error ?? remove.error}</ErrorText>
      </div>
      <div className="folder-actions">
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => void reindex.run()}
          disabled={reindex.pending || folder.state === 'scanning' || folder.state === 'indexing'}
          aria-describedby={nameId}
        >
          {reindex.pending ? <Spinner size={12} /> : <Icon name="refresh" size={14} />}
          Re-index
        </button>
        <button
          type="button"
          className="button button-ghost-danger button-small"
          onClick={askRemove}
          disabled={remove.pending}
          aria-describedby={nameId}
        >
          {remove.pending ? <Spinner size={12} /> : <Icon name="trash" size={14} />}
          Remove
        </button>
      </div>
      {dialog}
    </li>
  );
}

export function FoldersView() {
  const { connector } = useApp();
  const folders = connector.folders;
  // Every second while a folder is indexed (the estimate moves), else twice a minute.
  const now = useNow(folders.some(isBusy) ? 1000 : 30_000);
  const names = folderDisplayNames(folders);
  return (
    <>
      <ViewHeader
        title="Folders"
        subtitle="What ChatGPT can search and read. Porthole indexes the files here and keeps up with changes."
      />
      <section className="card" aria-label="Add a folder">
        <AddFolder />
        <p className="field-hint">
          Hidden files, <code className="inline-code">node_modules</code>,{' '}
          <code className="inline-code">.git</code>, keys and <code className="inline-code">.env</code> files
          are never shared.
        </p>
      </section>
      {folders.length === 0 ? (
        <EmptyState icon="folder" title="No folders shared yet">
          Add a folder above: its documents become searchable by ChatGPT, and by nobody else.
        </EmptyState>
      ) : (
        <ul className="folder-list" aria-label="Shared folders">
          {folders.map((folder) => (
            <FolderRow
              key={folder.id}
              folder={folder}
              now={now}
              displayName={names.get(folder.id) ?? folder.name}
            />
          ))}
        </ul>
      )}
    </>
  );
}
