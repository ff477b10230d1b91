'use client';

import {
  type CloudProvider,
  cloudAccountRoutes,
  type Host,
  hostRoutes,
  LOCAL_ACCOUNT,
  providerCatalogRoutes,
} from '@wharf/contracts';
import { useState } from 'react';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { ApiError } from '@/lib/api/problem';
import { useAction } from '@/lib/hooks/use-action';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';

type MachineProvider = 'local' | CloudProvider;
const PROVIDERS: readonly MachineProvider[] = ['local', 'aws', 'aliyun'];
const FIELDS = ['body.provider', 'body.cloudAccountId', 'body.region', 'body.instanceType', 'body.name'];

/** What a provider list's failure says at its field (the provider refused, the account is gone). */
const reason = (error: ApiError | undefined): string[] => (error ? [error.problem.detail ?? error.problem.title] : []);

/** A required select of the form, with its hint and errors. */
function ChoiceField({
  label,
  name,
  hint,
  errors,
  value,
  options,
  onChange,
}: {
  label: string;
  name: string;
  hint?: string | undefined;
  errors: string[];
  value: string;
  /** `lang`: the label is the provider's words (a region's name), in that language. */
  options: { value: string; label: string; lang?: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {(control) => (
        <select {...control} className="select" name={name} required value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value} lang={o.lang}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * "Add host": the provider, then (for a cloud) one of the team's accounts of it, then a region and an instance type
 * from the provider's own lists (asked through the API), and a name. The API admits the host and answers it
 * `requested`; the list follows its state. Mounted only while open, so the provider is asked only then.
 */
export function AddHostDialog({
  clusterId,
  onClose,
  onAdded,
}: {
  clusterId: string;
  onClose: () => void;
  onAdded: (host: Host) => void;
}) {
  const { t, formatNumber } = useI18n();
  const { tenant } = useTenant();
  const [provider, setProvider] = useState<MachineProvider>('local');
  const [account, setAccount] = useState('');
  const [region, setRegion] = useState('');
  const [type, setType] = useState('');

  const accounts = useResource(
    (signal) => api(cloudAccountRoutes.list, { params: { tenant: tenant.slug }, query: { limit: 100 } }, { signal }),
    [tenant.slug],
  );
  const ofProvider = (accounts.data?.items ?? []).filter((a) => a.provider === provider);
  const accountId = provider === 'local' ? LOCAL_ACCOUNT : account || ofProvider[0]?.id || '';
  const regions = useResource(
    async (signal) =>
      accountId
        ? (await api(providerCatalogRoutes.regions, { params: { tenant: tenant.slug, accountId } }, { signal })).items
        : [],
    [tenant.slug, accountId],
  );
  const regionId = region || regions.data?.[0]?.id || '';
  const types = useResource(
    async (signal) =>
      accountId && regionId
        ? (
            await api(
              providerCatalogRoutes.instanceTypes,
              { params: { tenant: tenant.slug, accountId }, query: { region: regionId } },
              { signal },
            )
          ).items
        : [],
    [tenant.slug, accountId, regionId],
  );
  const typeId = type || types.data?.[0]?.id || '';

  const add = useAction((name: string) =>
    api(hostRoutes.create, {
      params: { tenant: tenant.slug, clusterId },
      body:
        provider === 'local'
          ? { provider, region: regionId, instanceType: typeId, name }
          : { provider, cloudAccountId: accountId, region: regionId, instanceType: typeId, name },
    }),
  );

  async function submit(form: FormData) {
    const result = await add.run(String(form.get('name') ?? '').trim());
    if (result.ok) onAdded(result.value);
  }

  function choose(change: () => void) {
    add.reset();
    change();
  }

  const loading = t('hosts.add.loadingChoices');
  const errorsAt = (field: string, failure?: ApiError) => [...reason(failure), ...(add.error?.fieldMessages(field) ?? [])];
  return (
    <FormDialog
      open
      title={t('hosts.add.title')}
      testId="add-host-dialog"
      action={add}
      submitLabel={t('hosts.add.submit')}
      shownFields={FIELDS}
      description={<p className="muted">{t('hosts.add.description')}</p>}
      onSubmit={submit}
      onClose={onClose}
    >
      <ChoiceField
        label={t('hosts.add.provider')}
        name="provider"
        errors={errorsAt('body.provider')}
        value={provider}
        options={PROVIDERS.map((p) => ({ value: p, label: t(`hostProvider.${p}`) }))}
        onChange={(value) =>
          choose(() => {
            setProvider(value as MachineProvider);
            setAccount('');
            setRegion('');
            setType('');
          })
        }
      />
      {provider !== 'local' && (
        <ChoiceField
          label={t('hosts.add.account')}
          name="cloudAccountId"
          hint={
            accounts.data && ofProvider.length === 0
              ? t('hosts.add.noAccounts', { provider: t(`cloudProvider.${provider}`) })
              : undefined
          }
          errors={errorsAt('body.cloudAccountId', accounts.error)}
          value={accountId}
          options={ofProvider.map((a) => ({ value: a.id, label: `${a.name} (${a.identity.account})` }))}
          onChange={(value) =>
            choose(() => {
              setAccount(value);
              setRegion('');
              setType('');
            })
          }
        />
      )}
      <div className="form-grid">
        <ChoiceField
          label={t('hosts.add.region')}
          name="region"
          hint={regions.loading && accountId ? loading : undefined}
          errors={errorsAt('body.region', regions.error)}
          value={regionId}
          options={(regions.data ?? []).map((r) =>
            r.name === r.id ? { value: r.id, label: r.id } : { value: r.id, label: `${r.id} — ${r.name}`, lang: 'en' },
          )}
          onChange={(value) =>
            choose(() => {
              setRegion(value);
              setType('');
            })
          }
        />
        <ChoiceField
          label={t('hosts.add.instanceType')}
          name="instanceType"
          hint={types.loading && regionId ? loading : undefined}
          errors={errorsAt('body.instanceType', types.error)}
          value={typeId}
          options={(types.data ?? []).map((it) => ({
            value: it.id,
            label: t('hosts.add.instanceTypeOption', {
              id: it.id,
              vcpus: formatNumber(it.vcpus),
              memory: formatNumber(it.memoryMiB),
            }),
          }))}
          onChange={(value) => choose(() => setType(value))}
        />
      </div>
      <Field label={t('hosts.add.name')} hint={t('hosts.add.nameHint')} errors={add.error?.fieldMessages('body.name')}>
        {(control) => <input {...control} className="input input-mono" name="name" required maxLength={63} autoComplete="off" />}
      </Field>
    </FormDialog>
  );
}
