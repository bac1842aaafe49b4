import { useApp } from '../context.ts';
import { CopyButton } from './CopyButton.tsx';
import { Spinner } from './ui.tsx';

/** The URL to paste into ChatGPT, with its copy button. */
export function ConnectorUrl() {
  const { connector, markUrlCopied } = useApp();
  const url = connector.mcpUrl;
  return (
    <div className="url-box">
      <div className="url-field">
        <code data-testid="connector-url" className="url-text" title={url ?? undefined}>
          {url ?? ''}
        </code>
        {!url && (
          <span className="url-waiting">
            <Spinner size={14} /> Waiting for the server to start…
          </span>
        )}
      </div>
      <CopyButton text={url} label="Copy connector URL" primary onCopied={markUrlCopied} />
    </div>
  );
}
