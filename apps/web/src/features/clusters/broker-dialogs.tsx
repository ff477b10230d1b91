'use client';

import { brokerRoutes, type CreatedBroker } from '@wharf/contracts';
import { CopyField } from '@/components/copy-field';
import { Dialog } from '@/components/dialog';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

const FIELDS = ['body.name'];

/** "Add broker": a name; the answer carries the broker's one-time token and start command. */
export function CreateBrokerDialog({
  clusterId,
  onClose,
  onCreated,
}: {
  clusterId: string;
  onClose: () => void;
  onCreated: (created: CreatedBroker) => void;
}) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const create = useAction((name: string) =>
    api(brokerRoutes.create, { params: { tenant: tenant.slug, clusterId }, body: { name } }),
  );

  async function submit(form: FormData) {
    const result = await create.run(String(form.get('name') ?? '').trim());
    if (result.ok) onCreated(result.value);
  }

  return (
    <FormDialog
      open
      title={t('brokers.create.title')}
      testId="create-broker-dialog"
      action={create}
      submitLabel={t('brokers.create.submit')}
      shownFields={FIELDS}
      description={<p className="muted">{t('brokers.create.description')}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={t('brokers.create.name')}
        hint={t('brokers.create.nameHint')}
        errors={create.error?.fieldMessages('body.name')}
      >
        {(control) => <input {...control} className="input input-mono" name="name" required maxLength={63} autoComplete="off" />}
      </Field>
    </FormDialog>
  );
}

/** The start command and token of a new broker, shown once: the API never shows the token again. */
export function BrokerCommandDialog({ created, onClose }: { created: CreatedBroker; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Dialog
      open
      title={t('brokers.command.title', { name: created.broker.name })}
      onClose={onClose}
      testId="broker-command-dialog"
    >
      <p className="muted">{t('brokers.command.help')}</p>
      <CopyField label={t('brokers.command.command')} value={created.command} testId="broker-command" />
      <CopyField label={t('brokers.command.token')} value={created.joinToken} testId="broker-token" />
      <p className="muted">{t('brokers.command.expires', { at: formatDateTime(created.expiresAt) })}</p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('hosts.byo.done')}
        </button>
      </div>
    </Dialog>
  );
}
