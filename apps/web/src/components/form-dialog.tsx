'use client';

import type { FormEvent, ReactNode } from 'react';
import type { ActionState } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { Dialog } from './dialog';
import { ProblemAlert } from './problem-alert';

export interface FormDialogProps {
  open: boolean;
  title: string;
  testId: string;
  /** The call the form makes: pending holds the submit button, its problem shows above the fields, closing clears it. */
  action: ActionState;
  submitLabel: string;
  /** On the submit button while the call runs; `common.working` by default. */
  pendingLabel?: string;
  danger?: boolean;
  /** Field paths whose errors the fields show (`body.name`), so the alert does not repeat them. */
  shownFields?: readonly string[];
  /** Above the problem: what the form does. */
  description?: ReactNode;
  onSubmit: (form: FormData) => void | Promise<void>;
  onClose: () => void;
  children: ReactNode;
}

/** A form in a modal: its fields, the call's problem, Cancel and a submit button that waits for the call. */
export function FormDialog({
  open,
  title,
  testId,
  action,
  submitLabel,
  pendingLabel,
  danger = false,
  shownFields,
  description,
  onSubmit,
  onClose,
  children,
}: FormDialogProps) {
  const { t } = useI18n();

  function close() {
    action.reset();
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void onSubmit(new FormData(event.currentTarget));
  }

  return (
    <Dialog open={open} title={title} onClose={close} testId={testId}>
      <form onSubmit={submit}>
        {description}
        <ProblemAlert error={action.error} shownFields={shownFields} />
        {children}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={close}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className={danger ? 'button button-danger' : 'button button-primary'}
            disabled={action.pending}
            aria-busy={action.pending}
          >
            {action.pending ? (pendingLabel ?? t('common.working')) : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
