import type { ReactNode } from 'react';
import { openExternal, useApp } from '../context.ts';
import { Icon } from './Icon.tsx';

/** A link that opens in the system browser in Electron, a new tab in the headless dashboard. */
export function ExternalLink({
  href,
  children,
  className,
}: {
  href: string;
  children: ReactNode;
  className?: string;
}) {
  const { bridge } = useApp();
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className={className ?? 'link'}
      onClick={(event) => {
        if (!bridge.desktop) return;
        event.preventDefault();
        void openExternal(bridge, href);
      }}
    >
      {children}
      <Icon name="external" size={13} className="link-icon" />
      <span className="visually-hidden"> (opens in your browser)</span>
    </a>
  );
}
