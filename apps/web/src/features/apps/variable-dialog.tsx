'use client';

import { type Variable, variableRoutes } from '@wharf/contracts';
import { useState } from 'react';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';

/** Adding (no variable), or editing one whose current value is known (`null`: a secret not revealed). */
export type VariableEdit = { mode: 'add' } | { mode: 'edit'; variable: Variable; value: string | null };

export interface VariableDialogProps {
  edit: VariableEdit | undefined;
  /** Default: production. */
  environment?: string | undefined;
  /** Keys already set: adding one of them is refused here, editing it is the way. */
  existing: ReadonlySet<string>;
  onClose: () => void;
  onSaved: (variable: Variable) => void;
}

export function VariableDialog({ edit, environment, existing, onClose, onSaved }: VariableDialogProps) {
  const { t } = useI18n();
  const { params } = useApp();
  const [clash, setClash] = useState(false);
  const save = useAction((key: string, value: string, secret: boolean) =>
    api(variableRoutes.set, {
      params: { ...params, key },
      query: environment === undefined ? undefined : { environment },
      body: { value, secret },
    }),
  );
  const editing = edit?.mode === 'edit' ? edit : undefined;

  async function submit(form: FormData) {
    const key = editing ? editing.variable.key : String(form.get('key') ?? '').trim();
    if (!editing && existing.has(key)) {
      setClash(true);
      return;
    }
    const result = await save.run(key, String(form.get('value') ?? ''), form.get('secret') === 'on');
    if (result.ok) onSaved(result.value);
  }

  function close() {
    setClash(false);
    onClose();
  }

  const keyErrors = [...(save.error?.fieldMessages('params.key') ?? []), ...(clash ? [t('apps.variables.exists')] : [])];
  const hiddenSecret = editing?.variable.secret && editing.value === null;
  return (
    <FormDialog
      open={!!edit}
      title={editing ? t('apps.variables.editTitle', { key: editing.variable.key }) : t('apps.variables.addTitle')}
      testId="variable-dialog"
      action={save}
      submitLabel={t('common.save')}
      pendingLabel={t('common.saving')}
      shownFields={['params.key', 'body.value', 'body.secret']}
      description={<p className="muted">{t('apps.variables.nextDeploy')}</p>}
      onSubmit={submit}
      onClose={close}
    >
      {/* Remounted per variable, so the defaults are that variable's. */}
      <div className="stack" key={editing ? editing.variable.key : 'new'}>
        <Field label={t('apps.variables.key')} hint={t('apps.variables.keyHint')} errors={keyErrors}>
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="key"
              required
              maxLength={256}
              pattern="[A-Za-z_][A-Za-z0-9_]*"
              autoComplete="off"
              spellCheck={false}
              defaultValue={editing?.variable.key}
              readOnly={!!editing}
              onChange={() => setClash(false)}
            />
          )}
        </Field>
        <Field
          label={t('apps.variables.value')}
          hint={hiddenSecret ? t('apps.variables.secretReplace') : undefined}
          errors={save.error?.fieldMessages('body.value')}
        >
          {(control) => (
            <textarea
              {...control}
              className="input input-mono"
              name="value"
              rows={4}
              maxLength={32_768}
              spellCheck={false}
              autoComplete="off"
              required={hiddenSecret}
              defaultValue={editing?.value ?? ''}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" name="secret" defaultChecked={editing?.variable.secret ?? false} />
          {t('apps.variables.secretToggle')}
        </label>
      </div>
    </FormDialog>
  );
}
