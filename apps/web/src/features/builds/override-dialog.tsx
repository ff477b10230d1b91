'use client';

import { sourceRoutes } from '@wharf/contracts';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useApp } from '@/features/apps/app-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type AppSource, withSettings } from './source-body';

export interface OverrideDialogProps {
  /** The Dockerfile to start from (the one the build used); undefined: closed. */
  dockerfile: string | undefined;
  source: AppSource | undefined;
  onClose: () => void;
  onSaved: (source: AppSource) => void;
}

/** Saves a Dockerfile, edited first, as the override of the app's build settings (`settings.dockerfile`). */
export function OverrideDialog({ dockerfile, source, onClose, onSaved }: OverrideDialogProps) {
  const { t } = useI18n();
  const { params } = useApp();
  const save = useAction((text: string, token: string) => {
    if (!source) throw new Error('the source is not loaded');
    const body = withSettings(source, { ...source.settings, dockerfile: text }, token);
    if (!body) throw new Error('the token is missing');
    return api(sourceRoutes.set, { params, body });
  });

  async function onSubmit(form: FormData) {
    const result = await save.run(String(form.get('dockerfile') ?? ''), String(form.get('token') ?? '').trim());
    if (result.ok) onSaved(result.value);
  }

  return (
    <FormDialog
      open={dockerfile !== undefined}
      title={t('builds.override.title')}
      testId="override-dialog"
      action={save}
      submitLabel={t('common.save')}
      shownFields={['body.settings', 'body.auth']}
      description={<p className="muted">{t('builds.override.description')}</p>}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Field label={t('builds.dockerfile')} errors={save.error?.fieldMessages('body.settings')}>
        {(control) => (
          <textarea
            {...control}
            className="input input-mono"
            name="dockerfile"
            rows={14}
            spellCheck={false}
            required
            defaultValue={dockerfile}
          />
        )}
      </Field>
      {source?.auth === 'token' && (
        <Field label={t('git.tokenAgain')} hint={t('git.tokenHint')} errors={save.error?.fieldMessages('body.auth')}>
          {(control) => <input {...control} className="input" name="token" type="password" required autoComplete="off" />}
        </Field>
      )}
    </FormDialog>
  );
}
