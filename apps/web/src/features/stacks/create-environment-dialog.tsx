'use client';

import { environmentRoutes } from '@wharf/contracts';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useApp } from '@/features/apps/app-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AppEnvironment } from './bindings';

export interface CreateEnvironmentDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (environment: AppEnvironment) => void;
}

/** A new environment by name: its own variables, secrets and bindings; it runs once deployed. */
export function CreateEnvironmentDialog({ open, onClose, onCreated }: CreateEnvironmentDialogProps) {
  const { t } = useI18n();
  const { params } = useApp();
  const create = useAction((name: string) => api(environmentRoutes.create, { params, body: { name } }));

  async function submit(form: FormData) {
    const result = await create.run(String(form.get('name') ?? '').trim());
    if (result.ok) onCreated(result.value);
  }

  return (
    <FormDialog
      open={open}
      title={t('environments.create.title')}
      testId="create-environment-dialog"
      action={create}
      submitLabel={t('environments.create.submit')}
      shownFields={['body.name']}
      description={<p className="muted">{t('environments.create.description')}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={t('environments.create.name')}
        hint={t('environments.create.nameHint')}
        errors={create.error?.fieldMessages('body.name')}
      >
        {(control) => (
          <input
            {...control}
            className="input input-mono"
            name="name"
            required
            maxLength={32}
            pattern="[a-z](?:[a-z0-9\-]*[a-z0-9])?"
            autoComplete="off"
            spellCheck={false}
            placeholder="staging"
          />
        )}
      </Field>
    </FormDialog>
  );
}
