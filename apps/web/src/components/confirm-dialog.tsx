'use client';

import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { Dialog } from './dialog';
import { ProblemAlert } from './problem-alert';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** Says exactly what will be destroyed or changed. */
  message: string;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  error?: ApiError | undefined;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}

export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  danger = true,
  pending = false,
  error,
  onConfirm,
  onCancel,
  testId = 'confirm-dialog',
}: ConfirmDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open={open} title={title} onClose={onCancel} testId={testId}>
      <p>{message}</p>
      <ProblemAlert error={error} />
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={pending}
          aria-busy={pending}
        >
          {pending ? t('common.working') : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
