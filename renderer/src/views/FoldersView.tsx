import { useId } from 'react';
import type { FolderStatus } from '../../../server/api.ts';
import { AddFolder } from '../components/AddFolder.tsx';
import { useConfirm } from '../components/ConfirmDialog.tsx';
import { Icon } from '../components/Icon.tsx';
import { Chip, EmptyState, ErrorText, ProgressBar, Spinner } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { useNow } from '../hooks/useNow.ts';
import { folderCounts, folderProgress, folderStateLabel } from '../lib/folders.ts';
import { formatCount, formatDateTime, formatRelative, plural } from '../lib/format.ts';
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

function FolderRow({ folder, now }: { folder: FolderStatus; now: number }) {
  const { bridge, dashboard } = useApp();
  const { confirm, dialog } = useConfirm();
  const nameId = useId();
  const progress = folderProgress(folder);
  const reindex = useAction(() => bridge.reindexFolder(folder.id));
  const remove = useAction(async () => {
    await bridge.removeFolder(folder.id);
    dashboard.dispatch({ type: 'folderRemoved', folderId: folder.id });
  });

  const askRemove = async () => {
    const ok = await confirm({
      title: `Stop sharing “${folder.name}”?`,
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
            {folder.name}
          </h3>
          <Chip tone={stateTone(folder)}>{folderStateLabel(folder)}</Chip>
        </div>
        <p className="folder-path mono" title={folder.path}>
          {folder.path}
        </p>
        {progress.kind !== 'none' && (
          <div className="folder-progress">
            <ProgressBar
              value={progress.kind === 'determinate' ? progress.value : null}
              label={`Indexing ${folder.name}`}
              valueText={
                progress.kind === 'determinate'
                  ? `${formatCount(folder.indexed)} of ${formatCount(folder.filesSeen)} files`
                  : `${formatCount(folder.filesSeen)} files found so far`
              }
            />
            <span className="folder-progress-text">
              {folder.state === 'scanning'
                ? `Scanning… ${plural(folder.filesSeen, 'file')} found`
                : `Indexing… ${formatCount(folder.indexed)} of ${formatCount(folder.filesSeen)} files`}
            </span>
          </div>
        )}
        <p className="folder-meta">
          <span data-testid="folder-counts">{folderCounts(folder)}</span>
          <span aria-hidden="true"> · </span>
          <span title={formatDateTime(folder.lastIndexedAt)}>
            {folder.lastIndexedAt
              ? `Indexed ${formatRelative(folder.lastIndexedAt, now)}`
              : 'Not indexed yet'}
          </span>
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
                  <span className="error-reason">{error.reason}</span>
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
  const now = useNow();
  const folders = connector.folders;
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
            <FolderRow key={folder.id} folder={folder} now={now} />
          ))}
        </ul>
      )}
    </>
  );
}
