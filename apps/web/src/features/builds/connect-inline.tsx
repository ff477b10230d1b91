'use client';

import { gitConnectionRoutes } from '@wharf/contracts';
import { useId, useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type Connection, GIT_PROVIDERS } from './add-git-connection-form';

type Provider = (typeof GIT_PROVIDERS)[number];

/**
 * Connects an account from inside another form (the create-app form): its inputs have no `name`, so they are not
 * part of that form's data, and its button calls the API instead of submitting.
 */
export function ConnectInline({ onAdded }: { onAdded: (connection: Connection) => void }) {
  const { t } = useI18n();
  const { tenant } = useTenant();
  const id = useId();
  const [provider, setProvider] = useState<Provider>('github');
  const [token, setToken] = useState('');
  const add = useAction(() =>
    api(gitConnectionRoutes.create, { params: { tenant: tenant.slug }, body: { provider, token: token.trim() } }),
  );

  async function connect() {
    const result = await add.run();
    if (!result.ok) return;
    setToken('');
    onAdded(result.value);
  }

  const tokenErrors = add.error?.fieldMessages('body.token') ?? [];
  return (
    <div className="stack" data-testid="connect-inline">
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-provider`} className="field-label">
            {t('gitConnections.add.provider')}
          </label>
          <select
            id={`${id}-provider`}
            className="select"
            value={provider}
            onChange={(event) => setProvider(event.target.value as Provider)}
          >
            {GIT_PROVIDERS.map((name) => (
              <option key={name} value={name}>
                {t(`gitProvider.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-token`} className="field-label">
            {t('gitConnections.add.token')}
          </label>
          <input
            id={`${id}-token`}
            className="input"
            type="password"
            autoComplete="off"
            value={token}
            aria-invalid={tokenErrors.length > 0 ? true : undefined}
            aria-describedby={`${id}-token-hint`}
            onChange={(event) => setToken(event.target.value)}
          />
          <p id={`${id}-token-hint`} className={tokenErrors.length > 0 ? 'field-error' : 'field-hint'}>
            {tokenErrors.length > 0 ? tokenErrors.join(' ') : t('gitConnections.add.tokenHint')}
          </p>
        </div>
        <div className="form-row-action">
          <button
            type="button"
            className="button button-secondary"
            disabled={add.pending || token.trim() === ''}
            aria-busy={add.pending}
            onClick={() => void connect()}
          >
            {add.pending ? t('common.working') : t('gitConnections.add.submit')}
          </button>
        </div>
      </div>
      <ProblemAlert error={add.error} shownFields={['body.token']} />
    </div>
  );
}
