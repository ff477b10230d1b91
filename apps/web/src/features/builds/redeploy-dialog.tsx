'use client';

import { type Build, type Deployment, deploymentRoutes } from '@wharf/contracts';
import { FormDialog } from '@/components/form-dialog';
import { useApp } from '@/features/apps/app-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { EnvironmentField } from './environment-field';

export interface RedeployDialogProps {
  build: Build | undefined;
  onClose: () => void;
  onDeployed: (deployment: Deployment) => void;
}

/** "Redeploy this build": the image of a succeeded build, to the environment chosen. */
export function RedeployDialog({ build, onClose, onDeployed }: RedeployDialogProps) {
  const { t } = useI18n();
  const { app, params } = useApp();
  const deploy = useAction((environment: string, target: Build) =>
    api(deploymentRoutes.create, { params, body: { environment, build: target.id } }),
  );

  async function onSubmit(form: FormData) {
    if (!build) return;
    const result = await deploy.run(String(form.get('environment') ?? app.environment), build);
    if (result.ok) onDeployed(result.value);
  }

  const preferred = build?.environments[0] ?? app.environment;
  return (
    <FormDialog
      open={build !== undefined}
      title={t('builds.redeploy')}
      testId="redeploy-dialog"
      action={deploy}
      submitLabel={t('builds.redeploy.submit')}
      shownFields={['body.environment']}
      description={
        build && (
          <p className="muted break-anywhere">
            {t('builds.redeploy.description', { number: build.number, image: build.image ?? '' })}
          </p>
        )
      }
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <EnvironmentField
        label={t('builds.redeploy.environment')}
        errors={deploy.error?.fieldMessages('body.environment')}
        defaultValue={preferred}
      />
    </FormDialog>
  );
}
