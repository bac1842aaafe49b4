// A modal question with the native <dialog>: focus stays inside, Escape cancels, and the
// safe choice has the focus when it opens.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
}

function ConfirmDialog({
  options,
  onClose,
}: {
  options: ConfirmOptions;
  onClose: (confirmed: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape already cancels (onCancel); this is the backdrop click
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onCancel={(event) => {
        event.preventDefault();
        onClose(false);
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === ref.current) onClose(false);
      }}
    >
      <div className="dialog-content">
        <h2 id="confirm-title">{options.title}</h2>
        <div id="confirm-body" className="dialog-body">
          {options.body}
        </div>
        <div className="dialog-actions">
          <button
            type="button"
            className="button button-secondary"
            ref={cancelRef}
            onClick={() => onClose(false)}
          >
            {options.cancelLabel ?? 'Cancel'}
          </button>
          <button
            type="button"
            className={options.danger ? 'button button-danger' : 'button button-primary'}
            onClick={() => onClose(true)}
          >
            {options.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** `const { confirm, dialog } = useConfirm()`: render `dialog`, `await confirm({...})`. */
export function useConfirm() {
  const [open, setOpen] = useState<{ options: ConfirmOptions; resolve: (ok: boolean) => void } | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const confirm = useCallback((options: ConfirmOptions) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return new Promise<boolean>((resolve) => setOpen({ options, resolve }));
  }, []);

  // Back to the button that opened it, once the dialog is gone: while a modal dialog is open the
  // rest of the page is inert and cannot take the focus, so focusing it from onClose is lost.
  useEffect(() => {
    if (open !== null) return;
    const opener = returnFocus.current;
    returnFocus.current = null;
    if (opener?.isConnected) opener.focus();
  }, [open]);

  const dialog = open ? (
    <ConfirmDialog
      options={open.options}
      onClose={(confirmed) => {
        open.resolve(confirmed);
        setOpen(null);
      }}
    />
  ) : null;

  return { confirm, dialog };
}
