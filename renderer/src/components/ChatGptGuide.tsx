import { useApp } from '../context.ts';

/** How to add the connector in ChatGPT, step by step. */
export function ChatGptGuide() {
  const { connector } = useApp();
  const login = connector.auth.owner?.login;
  return (
    <ol className="guide">
      <li>
        <span>
          In ChatGPT, open <strong>Settings → Apps &amp; Connectors</strong>.
        </span>
      </li>
      <li>
        <span>
          Choose <strong>Create</strong>, give it a name (e.g. “Porthole”) and paste the connector URL.
        </span>
      </li>
      <li>
        <span>
          Set <strong>Authentication</strong> to <strong>OAuth</strong> and save.
        </span>
      </li>
      <li>
        <span>
          ChatGPT opens Porthole’s consent page, then GitHub: sign in as{' '}
          {login ? <strong>@{login}</strong> : 'the owner account'}. Any other account is refused.
        </span>
      </li>
    </ol>
  );
}
