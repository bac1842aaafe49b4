import { useEffect, useRef, useState } from 'react';
import { Icon } from './Icon.tsx';

/** Puts text on the clipboard; the old execCommand path covers a page without clipboard access. */
async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through: no permission, or not a secure context.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

export function CopyButton({
  text,
  label,
  compact = false,
  primary = false,
  onCopied,
}: {
  text: string | null;
  /** The accessible name, e.g. "Copy connector URL". */
  label: string;
  compact?: boolean;
  primary?: boolean;
  onCopied?: () => void;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  async function copy() {
    if (!text) return;
    try {
      await writeClipboard(text);
      setState('copied');
      onCopied?.();
    } catch {
      setState('failed');
    }
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2000);
  }

  const caption = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy';
  const classes = ['button', primary ? 'button-primary' : 'button-secondary', compact ? 'button-small' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <button
        type="button"
        className={classes}
        aria-label={label}
        title={label}
        onClick={copy}
        disabled={!text}
        data-state={state}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} />
        <span>{caption}</span>
      </button>
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </>
  );
}
