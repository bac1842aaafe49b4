// Small building blocks shared by the views.
import { type ReactNode, useId, useState } from 'react';
import type { OwnerInfo } from '../../../server/api.ts';
import { summarizeError } from '../lib/errors.ts';
import { initials } from '../lib/format.ts';
import type { Tone } from '../lib/status.ts';
import { Icon, type IconName } from './Icon.tsx';

export function Card({
  title,
  icon,
  actions,
  children,
  className,
  labelledBy,
}: {
  title?: ReactNode;
  icon?: IconName;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  labelledBy?: string;
}) {
  return (
    <section className={className ? `card ${className}` : 'card'} aria-labelledby={labelledBy}>
      {(title || actions) && (
        <header className="card-header">
          {title && (
            <h2 className="card-title" id={labelledBy}>
              {icon && <Icon name={icon} />}
              {title}
            </h2>
          )}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Chip({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: Tone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`chip tone-${tone}`} title={title}>
      <span className="chip-dot" aria-hidden="true" />
      {children}
    </span>
  );
}

export function Spinner({ label, size = 16 }: { label?: string; size?: number }) {
  return (
    <span className="spinner" style={{ width: size, height: size }} role={label ? 'status' : undefined}>
      {label && <span className="visually-hidden">{label}</span>}
    </span>
  );
}

export function ProgressBar({
  value,
  label,
  valueText,
}: {
  /** 0..1, or null for "working, no fraction yet". */
  value: number | null;
  label: string;
  valueText?: string;
}) {
  return (
    <div
      className={value === null ? 'progress indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === null ? undefined : Math.round(value * 100)}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={value === null ? undefined : { width: `${value * 100}%` }} />
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      <div className="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** A failed command: what happened, as the connector said it. */
export function ErrorText({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <p className="error-text" role="alert" id={id}>
      <Icon name="warning" />
      <span>{children}</span>
    </p>
  );
}

/** An error as one short line; a long or technical message keeps its full text behind "Details". */
export function ErrorSummary({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  const { summary, details } = summarizeError(message);
  return (
    <div className="error-summary" id={id}>
      <ErrorText>{summary}</ErrorText>
      {details && (
        <details className="disclosure error-details">
          <summary>
            <Icon name="chevronDown" className="disclosure-icon" />
            Details
          </summary>
          <pre className="error-details-text">{details}</pre>
        </details>
      )}
    </div>
  );
}

export function Callout({
  tone = 'info',
  title,
  children,
  action,
}: {
  tone?: 'info' | 'warning' | 'danger';
  title?: ReactNode;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className={`callout callout-${tone}`}>
      <Icon name={tone === 'info' ? 'info' : 'warning'} size={18} />
      <div className="callout-body">
        {title && <p className="callout-title">{title}</p>}
        <div>{children}</div>
      </div>
      {action && <div className="callout-action">{action}</div>}
    </div>
  );
}

export function Avatar({ owner, size = 40 }: { owner: OwnerInfo; size?: number }) {
  const [failed, setFailed] = useState(false);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.38) };
  if (owner.avatarUrl && !failed) {
    return (
      <img
        className="avatar"
        src={owner.avatarUrl}
        alt=""
        width={size}
        height={size}
        style={style}
        referrerPolicy="no-referrer"
        onError={() => setFailed(true)}
      />
    );
  }
  return (
    <span className="avatar avatar-initials" style={style} aria-hidden="true">
      {initials(owner.name, owner.login)}
    </span>
  );
}

/** A labelled single-line input (monospace: ids, URLs, secrets), with an optional hint under it. */
export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  placeholder,
  hint,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'url' | 'password';
  placeholder?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        className="input mono"
        type={type}
        value={value}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
