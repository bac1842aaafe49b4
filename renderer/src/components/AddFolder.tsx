import { type FormEvent, useId, useState } from 'react';
import type { FolderStatus } from '../../../server/api.ts';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { Icon } from './Icon.tsx';
import { ErrorText, Spinner } from './ui.tsx';

/** `/…`, `~` or `~/…`, or a Windows drive or share path. */
export function looksAbsolute(typed: string): boolean {
  return /^(\/|~$|~[\\/]|[A-Za-z]:[\\/]|\\\\)/.test(typed);
}

/** The native folder picker in Electron; a path field in the headless dashboard. */
export function AddFolder({
  onAdded,
  compact = false,
}: {
  onAdded?: (status: FolderStatus) => void;
  compact?: boolean;
}) {
  const { bridge, dashboard } = useApp();
  const [path, setPath] = useState('');
  const inputId = useId();
  const errorId = useId();
  const action = useAction(async (folderPath: string) => bridge.addFolder(folderPath));

  async function add(folderPath: string) {
    const result = await action.run(folderPath);
    if (result.ok) {
      dashboard.dispatch({ type: 'folderAdded', status: result.value });
      setPath('');
      onAdded?.(result.value);
    }
  }

  const desktop = bridge.desktop;
  if (desktop) {
    const choose = async () => {
      action.clearError();
      let chosen: string | null;
      try {
        chosen = await desktop.chooseFolder();
      } catch (error) {
        action.setError(error instanceof Error ? error.message : 'The folder picker could not open.');
        return;
      }
      if (chosen) await add(chosen);
    };
    return (
      <div className="add-folder">
        <button type="button" className="button button-primary" onClick={choose} disabled={action.pending}>
          {action.pending ? <Spinner size={14} /> : <Icon name="plus" />}
          Add folder
        </button>
        <ErrorText>{action.error}</ErrorText>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = path.trim();
    if (!trimmed) {
      action.setError('Type the full path of a folder on this computer, like /home/you/Documents.');
      return;
    }
    // The connector refuses these too; saying it here saves a round trip and says how to fix it.
    if (!looksAbsolute(trimmed)) {
      action.setError(
        `“${trimmed}” is a relative path. Type the full path, like /home/you/Documents, or start with ~/ for your home folder.`,
      );
      return;
    }
    void add(trimmed);
  };

  return (
    <form className={compact ? 'add-folder add-folder-compact' : 'add-folder'} onSubmit={submit} noValidate>
      <label htmlFor={inputId} className="field-label">
        Folder path
      </label>
      <div className="input-row">
        <input
          id={inputId}
          className="input mono"
          type="text"
          value={path}
          onChange={(event) => setPath(event.target.value)}
          placeholder="~/Documents or /home/you/Documents"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={action.error ? true : undefined}
          aria-describedby={action.error ? errorId : undefined}
        />
        <button type="submit" className="button button-primary" disabled={action.pending}>
          {action.pending ? <Spinner size={14} /> : <Icon name="plus" />}
          Add folder
        </button>
      </div>
      {action.error ? (
        <ErrorText id={errorId}>{action.error}</ErrorText>
      ) : (
        !compact && <p className="field-hint">A full path; ~ stands for your home folder.</p>
      )}
    </form>
  );
}
