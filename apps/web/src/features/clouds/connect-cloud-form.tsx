'use client';

import {
  CLOUD_PROVIDERS,
  type CloudAccountSetup,
  type CloudAuthKind,
  type CloudProvider,
  cloudAccountRoutes,
} from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { CopyField } from '@/components/copy-field';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { ErrorState, Loading } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import type { ApiError } from '@/lib/api/problem';
import { useAction } from '@/lib/hooks/use-action';
import { type Resource, useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type ConnectCloudBody, readConnectCloud, SECRET_FIELD, SHOWN_FIELDS } from './cloud-body';
import { cloudAccountsPath } from './cloud-paths';
import { CopyBlock } from './copy-block';

const AUTH_KINDS: readonly CloudAuthKind[] = ['role', 'keys'];
const policyText = (policy: unknown) => JSON.stringify(policy, null, 2);

/** What to create in the provider's console, with the texts to paste: from the API's setup endpoint. */
function SetupInstructions({
  provider,
  auth,
  setup,
}: {
  provider: CloudProvider;
  auth: CloudAuthKind;
  setup: Resource<CloudAccountSetup>;
}) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  if (setup.loading) return <Loading label={t('clouds.connect.setupLoading')} />;
  if (!setup.data) return setup.error ? <ErrorState error={setup.error} onRetry={setup.reload} /> : null;
  const { externalId, aws, aliyun } = setup.data;
  const steps =
    provider === 'aws'
      ? t(auth === 'role' ? 'clouds.connect.awsRoleSteps' : 'clouds.connect.awsKeySteps')
      : t(auth === 'role' ? 'clouds.connect.aliyunRoleSteps' : 'clouds.connect.aliyunKeySteps');
  return (
    <div className="stack" data-testid="cloud-setup">
      <p className="muted">{steps}</p>
      {auth === 'role' && (
        <>
          <CopyField label={t('clouds.connect.externalId')} value={externalId} testId="cloud-external-id" />
          <p className="field-hint">{t('clouds.connect.externalIdHint', { team: tenant.name })}</p>
        </>
      )}
      {provider === 'aws' ? (
        <>
          {auth === 'role' && (
            <CopyBlock label={t('clouds.connect.trustPolicy')} text={policyText(aws.trustPolicy)} testId="cloud-trust-policy" />
          )}
          <CopyBlock
            label={t('clouds.connect.permissionsPolicy')}
            text={policyText(aws.permissionsPolicy)}
            testId="cloud-permissions-policy"
          />
        </>
      ) : (
        <CopyBlock label={t('clouds.connect.ramPolicy')} text={policyText(aliyun.ramPolicy)} testId="cloud-ram-policy" />
      )}
    </div>
  );
}

/** The role ARN, or the access key id and its secret (a password input), with the API's errors at each. */
function AccessFields({ provider, auth, error }: { provider: CloudProvider; auth: CloudAuthKind; error: ApiError | undefined }) {
  const { t } = useI18n();
  if (auth === 'role') {
    return (
      <Field
        label={t('clouds.connect.roleArn')}
        hint={t(provider === 'aws' ? 'clouds.connect.awsRoleArnHint' : 'clouds.connect.aliyunRoleArnHint')}
        errors={error?.fieldMessages('body.roleArn')}
      >
        {(control) => (
          <input
            {...control}
            className="input input-mono"
            name="roleArn"
            required
            maxLength={2048}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
    );
  }
  const secretField = SECRET_FIELD[provider];
  return (
    <div className="form-grid">
      <Field
        label={t(provider === 'aws' ? 'clouds.connect.awsAccessKeyId' : 'clouds.connect.aliyunAccessKeyId')}
        errors={error?.fieldMessages('body.accessKeyId')}
      >
        {(control) => (
          <input
            {...control}
            className="input input-mono"
            name="accessKeyId"
            required
            maxLength={128}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <Field
        label={t(provider === 'aws' ? 'clouds.connect.awsSecretAccessKey' : 'clouds.connect.aliyunAccessKeySecret')}
        hint={t('clouds.connect.secretHint')}
        errors={error?.fieldMessages(`body.${secretField}`)}
      >
        {(control) => (
          <input
            {...control}
            className="input input-mono"
            name="secret"
            type="password"
            required
            maxLength={128}
            autoComplete="new-password"
          />
        )}
      </Field>
    </div>
  );
}

/**
 * The connect wizard, one step under the other: 1. the provider, 2. the way in (a role, with the ExternalId and the
 * policies to paste, or an access key), 3. the name. Wharf verifies the account with the provider before saving it;
 * a refusal (422) shows the provider's reason, and it and any invalid field (400) are shown at their inputs.
 */
export function ConnectCloudForm() {
  const { t } = useI18n();
  const router = useRouter();
  const { tenant, denial } = useTenant();
  const blocked = denial('clouds.write');
  const [provider, setProvider] = useState<CloudProvider>('aws');
  const [auth, setAuth] = useState<CloudAuthKind>('role');
  const setup = useResource(
    (signal) => api(cloudAccountRoutes.setup, { params: { tenant: tenant.slug } }, { signal }),
    [tenant.slug],
  );
  const connect = useAction((body: ConnectCloudBody) =>
    api(cloudAccountRoutes.create, { params: { tenant: tenant.slug }, body }),
  );
  const error = connect.error;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const result = await connect.run(readConnectCloud(new FormData(formElement), provider, auth));
    if (result.ok) {
      router.push(cloudAccountsPath(tenant.slug));
      return;
    }
    // The problem is shown by the button; take the user to the first field it names.
    requestAnimationFrame(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  function choose(change: () => void) {
    connect.reset();
    change();
  }

  return (
    <form className="stack-form" onSubmit={onSubmit} aria-label={t('clouds.connect.title')} data-testid="connect-cloud-form">
      {blocked && <p className="alert alert-warning">{blocked}</p>}
      <fieldset className="card" disabled={!!blocked}>
        <legend className="card-legend">{t('clouds.connect.providerStep')}</legend>
        <div className="choice-group" data-testid="cloud-provider">
          {CLOUD_PROVIDERS.map((choice) => (
            <label key={choice} className={provider === choice ? 'choice active' : 'choice'}>
              <input
                type="radio"
                name="provider"
                value={choice}
                checked={provider === choice}
                onChange={() => choose(() => setProvider(choice))}
              />
              <span className="choice-text">
                <span className="choice-title">{t(`cloudProvider.${choice}`)}</span>
                <span className="field-hint">{t(`clouds.connect.provider.${choice}Hint`)}</span>
              </span>
            </label>
          ))}
        </div>
        {error && <FieldMessages messages={error.fieldMessages('body.provider')} />}
      </fieldset>
      <fieldset className="card" disabled={!!blocked}>
        <legend className="card-legend">{t('clouds.connect.accessStep')}</legend>
        <div className="choice-group" data-testid="cloud-auth">
          {AUTH_KINDS.map((choice) => (
            <label key={choice} className={auth === choice ? 'choice active' : 'choice'}>
              <input
                type="radio"
                name="auth"
                value={choice}
                checked={auth === choice}
                onChange={() => choose(() => setAuth(choice))}
              />
              <span className="choice-text">
                <span className="choice-title">
                  {choice === 'keys'
                    ? t('clouds.connect.auth.keys')
                    : t(provider === 'aws' ? 'clouds.connect.auth.role' : 'clouds.connect.auth.ramRole')}
                </span>
                <span className="field-hint">{t(`clouds.connect.auth.${choice}Hint`)}</span>
              </span>
            </label>
          ))}
        </div>
        <SetupInstructions provider={provider} auth={auth} setup={setup} />
        <AccessFields key={`${provider}-${auth}`} provider={provider} auth={auth} error={error} />
      </fieldset>
      <fieldset className="card" disabled={!!blocked}>
        <legend className="card-legend">{t('clouds.connect.nameStep')}</legend>
        <Field label={t('clouds.connect.name')} hint={t('clouds.connect.nameHint')} errors={error?.fieldMessages('body.name')}>
          {(control) => <input {...control} className="input" name="name" required maxLength={100} autoComplete="off" />}
        </Field>
      </fieldset>
      <ProblemAlert error={error} shownFields={SHOWN_FIELDS} />
      <div className="form-actions form-actions-wrap">
        <span className="spacer" />
        <Link href={cloudAccountsPath(tenant.slug)} className="button button-secondary">
          {t('common.cancel')}
        </Link>
        <button
          type="submit"
          className="button button-primary"
          disabled={!!blocked || connect.pending}
          aria-busy={connect.pending}
          title={blocked ?? undefined}
        >
          {connect.pending ? t('clouds.connect.verifying') : t('clouds.connect.submit')}
        </button>
      </div>
    </form>
  );
}

function FieldMessages({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="field-error" data-testid="field-error">
      {messages.join(' ')}
    </p>
  );
}
