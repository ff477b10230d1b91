'use client';

import { type Broker, brokerRoutes, DEFAULT_DOCKER_SOCKET, type Host, hostRoutes, type TenantCluster } from '@wharf/contracts';
import { useState } from 'react';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';

const FIELDS = ['body.brokerId', 'body.name', 'body.address', 'body.port', 'body.user', 'body.hostKey', 'body.dockerSocket'];

interface SshHostInput {
  brokerId: string;
  name: string;
  address: string;
  port: number;
  user: string;
  hostKey: string;
  dockerSocket: string;
}

function read(form: FormData): SshHostInput {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  return {
    brokerId: text('brokerId'),
    name: text('name'),
    address: text('address'),
    port: Number(text('port') || '22'),
    user: text('user'),
    hostKey: text('hostKey'),
    dockerSocket: text('dockerSocket') || DEFAULT_DOCKER_SOCKET,
  };
}

/**
 * "Add a server over SSH" (broker mode): one of the cluster's registered brokers reaches the server as
 * `user@address:port` with its own key, accepting only the pinned host key, and drives its Docker engine. Mounted
 * only while open, so the brokers are asked only then.
 */
function SshHostDialog({
  clusterId,
  onClose,
  onAdded,
}: {
  clusterId: string;
  onClose: () => void;
  onAdded: (host: Host) => void;
}) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const params = { tenant: tenant.slug, clusterId };
  const brokers = useResource((signal) => api(brokerRoutes.list, { params }, { signal }), [tenant.slug, clusterId]);
  const registered: Broker[] = (brokers.data?.items ?? []).filter((b) => b.registered);
  const add = useAction((body: SshHostInput) => api(hostRoutes.create, { params, body: { provider: 'ssh', ...body } }));

  async function submit(form: FormData) {
    const result = await add.run(read(form));
    if (result.ok) onAdded(result.value);
  }

  const errors = (field: string) => add.error?.fieldMessages(field);
  const noBroker = brokers.data && registered.length === 0 ? t('hosts.ssh.noBroker') : undefined;
  return (
    <FormDialog
      open
      title={t('hosts.ssh.title')}
      testId="ssh-host-dialog"
      action={add}
      submitLabel={t('hosts.add.submit')}
      shownFields={FIELDS}
      description={<p className="muted">{t('hosts.ssh.description')}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label={t('hosts.ssh.broker')} hint={noBroker} errors={errors('body.brokerId')}>
        {(control) => (
          <select {...control} className="select" name="brokerId" required>
            {registered.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-grid">
        <Field label={t('hosts.add.name')} hint={t('hosts.add.nameHint')} errors={errors('body.name')}>
          {(control) => (
            <input {...control} className="input input-mono" name="name" required maxLength={63} autoComplete="off" />
          )}
        </Field>
        <Field label={t('hosts.ssh.address')} hint={t('hosts.ssh.addressHint')} errors={errors('body.address')}>
          {(control) => <input {...control} className="input input-mono" name="address" required autoComplete="off" />}
        </Field>
        <Field label={t('hosts.ssh.port')} errors={errors('body.port')}>
          {(control) => (
            <input {...control} className="input input-narrow" name="port" type="number" min={1} max={65535} defaultValue={22} />
          )}
        </Field>
        <Field label={t('hosts.ssh.user')} errors={errors('body.user')}>
          {(control) => <input {...control} className="input input-mono" name="user" required autoComplete="off" />}
        </Field>
      </div>
      <Field label={t('hosts.ssh.hostKey')} hint={t('hosts.ssh.hostKeyHint')} errors={errors('body.hostKey')}>
        {(control) => (
          <textarea
            {...control}
            className="input input-mono"
            name="hostKey"
            rows={2}
            required
            spellCheck={false}
            placeholder="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…"
          />
        )}
      </Field>
      <Field label={t('hosts.ssh.dockerSocket')} errors={errors('body.dockerSocket')}>
        {(control) => (
          <input {...control} className="input input-mono" name="dockerSocket" defaultValue={DEFAULT_DOCKER_SOCKET} />
        )}
      </Field>
    </FormDialog>
  );
}

/** The button that opens the SSH form, disabled with the reason for a role that may not add hosts. */
export function SshHostButton({ cluster, onAdded }: { cluster: TenantCluster; onAdded: (host: Host) => void }) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const blocked = denial('hosts.write');
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        disabled={!!blocked}
        title={blocked ?? undefined}
        onClick={() => setOpen(true)}
        data-testid="ssh-host-open"
      >
        {t('hosts.ssh.open')}
      </button>
      {open && (
        <SshHostDialog
          clusterId={cluster.id}
          onClose={() => setOpen(false)}
          onAdded={(host) => {
            setOpen(false);
            onAdded(host);
          }}
        />
      )}
    </>
  );
}
