'use client';

import { type Host, hostRoutes, type InstallCommand, type TenantCluster } from '@wharf/contracts';
import { useState } from 'react';
import { CopyField } from '@/components/copy-field';
import { Dialog } from '@/components/dialog';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

const FIELDS = ['body.name'];

/** The install command of a brought server, shown once: the API never shows its token again. */
export function InstallCommandDialog({ install, onClose }: { install: InstallCommand; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Dialog open title={t('hosts.byo.commandTitle')} onClose={onClose} testId="byo-command-dialog">
      <p className="muted">{t('hosts.byo.commandHelp')}</p>
      <CopyField label={t('hosts.byo.command')} value={install.command} testId="byo-command" />
      <p className="muted">{t('hosts.byo.expires', { at: formatDateTime(install.expiresAt) })}</p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('hosts.byo.done')}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * "Add your own server": a name, then the one-line command that installs Docker and the agent on a Linux server the
 * team already has; the server joins the cluster when its agent registers.
 */
export function ByoHostButton({ cluster, onAdded }: { cluster: TenantCluster; onAdded: (host: Host) => void }) {
  const { t } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('hosts.write');
  const [open, setOpen] = useState(false);
  const [install, setInstall] = useState<InstallCommand | undefined>();
  const create = useAction((name: string) =>
    api(hostRoutes.create, { params: { tenant: tenant.slug, clusterId: cluster.id }, body: { provider: 'byo', name } }),
  );

  async function submit(form: FormData) {
    const result = await create.run(String(form.get('name') ?? '').trim());
    if (!result.ok) return;
    const { install: command, ...host } = result.value;
    setOpen(false);
    onAdded(host);
    setInstall(command);
  }

  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        disabled={!!blocked}
        title={blocked ?? undefined}
        onClick={() => setOpen(true)}
        data-testid="byo-open"
      >
        {t('hosts.byo.open')}
      </button>
      <FormDialog
        open={open}
        title={t('hosts.byo.title')}
        testId="byo-dialog"
        action={create}
        submitLabel={t('hosts.byo.submit')}
        shownFields={FIELDS}
        description={<p className="muted">{t('hosts.byo.description')}</p>}
        onSubmit={submit}
        onClose={() => setOpen(false)}
      >
        <Field label={t('hosts.byo.name')} hint={t('hosts.byo.nameHint')} errors={create.error?.fieldMessages('body.name')}>
          {(control) => (
            <input {...control} className="input input-mono" name="name" required maxLength={63} autoComplete="off" />
          )}
        </Field>
      </FormDialog>
      {install && <InstallCommandDialog install={install} onClose={() => setInstall(undefined)} />}
    </>
  );
}
