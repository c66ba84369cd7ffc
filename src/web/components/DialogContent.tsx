import * as Dialog from '@radix-ui/react-dialog';
import { forwardRef, useState } from 'react';

/**
 * Radix `Dialog.Content` that gives focus back to whatever had it when the dialog opened (ui.md §7). Radix only
 * returns focus to a `Dialog.Trigger`; our dialogs are opened from buttons, menus and shortcuts, so without this
 * focus fell to <body> on close.
 */
export const DialogContent = forwardRef<HTMLDivElement, Dialog.DialogContentProps>(function DialogContent(
  { onCloseAutoFocus, ...props },
  ref,
) {
  // Read on the first render, before Radix's focus scope moves focus into the dialog.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null));
  return (
    <Dialog.Content
      ref={ref}
      {...props}
      onCloseAutoFocus={(event) => {
        onCloseAutoFocus?.(event);
        if (event.defaultPrevented || !opener?.isConnected) return;
        event.preventDefault();
        opener.focus();
      }}
    />
  );
});
