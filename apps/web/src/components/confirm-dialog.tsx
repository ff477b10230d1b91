'use client';

import { useId, useState } from 'react';
import type { ApiError } from '@/lib/api/problem';
import { useAction } from '@/lib/hooks/use-action';
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
  /** For what cannot be undone: the text (a name) the user types before the confirm button enables. */
  requireText?: string;
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
  requireText,
}: ConfirmDialogProps) {
  const { t } = useI18n();
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const matches = requireText === undefined || typed === requireText;

  function cancel() {
    setTyped('');
    onCancel();
  }

  return (
    <Dialog open={open} title={title} onClose={cancel} testId={testId}>
      <p>{message}</p>
      {requireText !== undefined && (
        <div className="field">
          <label htmlFor={inputId} className="field-label">
            {t('common.typeToConfirm', { text: requireText })}
          </label>
          <input
            id={inputId}
            className="input input-mono"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
      )}
      <ProblemAlert error={error} />
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={cancel} disabled={pending}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={pending || !matches}
          aria-busy={pending}
        >
          {pending ? t('common.working') : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export interface ConfirmAction<T> {
  /** The item waiting for the user's answer. */
  target: T | undefined;
  ask: (item: T) => void;
  /** Spread on the `ConfirmDialog`. */
  dialog: Pick<ConfirmDialogProps, 'open' | 'pending' | 'error' | 'onConfirm' | 'onCancel'>;
}

/** A call on one item that asks first: `ask(item)` opens the dialog, confirming runs `call` and then `onDone`. */
export function useConfirmAction<T, R>(call: (item: T) => Promise<R>, onDone: (item: T, value: R) => void): ConfirmAction<T> {
  const [target, setTarget] = useState<T>();
  const action = useAction(call);

  async function confirm() {
    if (target === undefined) return;
    const result = await action.run(target);
    if (!result.ok) return;
    onDone(target, result.value);
    setTarget(undefined);
  }

  return {
    target,
    ask: (item) => setTarget(() => item),
    dialog: {
      open: target !== undefined,
      pending: action.pending,
      error: action.error,
      onConfirm: () => void confirm(),
      onCancel: () => {
        setTarget(undefined);
        action.reset();
      },
    },
  };
}
