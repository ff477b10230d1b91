'use client';

import { type Build, buildRoutes } from '@wharf/contracts';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useApp } from '@/features/apps/app-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { EnvironmentField } from './environment-field';

export interface BuildNowDialogProps {
  open: boolean;
  /** The branch offered first: the one production tracks. */
  defaultBranch: string;
  onClose: () => void;
  onStarted: (build: Build) => void;
}

/** "Build now": a branch's newest commit, deployed to the environments tracking it (or the one chosen). */
export function BuildNowDialog({ open, defaultBranch, onClose, onStarted }: BuildNowDialogProps) {
  const { t } = useI18n();
  const { params } = useApp();
  const start = useAction((branch: string, environment: string) =>
    api(buildRoutes.create, {
      params,
      body: { ...(branch ? { branch } : {}), ...(environment ? { environments: [environment] } : {}) },
    }),
  );

  async function onSubmit(form: FormData) {
    const result = await start.run(String(form.get('branch') ?? '').trim(), String(form.get('environment') ?? ''));
    if (result.ok) onStarted(result.value);
  }

  return (
    <FormDialog
      open={open}
      title={t('builds.now.title')}
      testId="build-now-dialog"
      action={start}
      submitLabel={t('builds.now.submit')}
      shownFields={['body.branch', 'body.environments']}
      description={<p className="muted">{t('builds.now.description')}</p>}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Field label={t('git.branch')} hint={t('builds.now.branchHint')} errors={start.error?.fieldMessages('body.branch')}>
        {(control) => (
          <input
            {...control}
            className="input input-mono"
            name="branch"
            defaultValue={defaultBranch}
            maxLength={255}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <EnvironmentField
        label={t('builds.now.deployTo')}
        errors={start.error?.fieldMessages('body.environments')}
        defaultLabel={t('builds.now.deployDefault')}
      />
    </FormDialog>
  );
}
