'use client';

import { type ApiToken, apiTokenRoutes } from '@wharf/contracts';
import { useState } from 'react';
import { Badge, type BadgeTone } from '@/components/badge';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState, ErrorState, Loading, LoadMore } from '@/components/states';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import type { CursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';

type TokenState = 'active' | 'expired' | 'revoked';
const TONE: Record<TokenState, BadgeTone> = { active: 'success', expired: 'warning', revoked: 'neutral' };

function tokenState(token: ApiToken, now: number): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function TokensTable({ list }: { list: CursorList<ApiToken> }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const { tenant, denial } = useTenant();
  const [revoking, setRevoking] = useState<ApiToken>();
  const blocked = denial('tokens.revoke');
  const revoke = useAction((token: ApiToken) =>
    api(apiTokenRoutes.revoke, { params: { tenant: tenant.slug, tokenId: token.id } }),
  );
  const now = Date.now();

  async function confirmRevoke() {
    if (!revoking || !(await revoke.run(revoking)).ok) return;
    const id = revoking.id;
    const revokedAt = new Date().toISOString();
    list.mutate((items) => items.map((token) => (token.id === id ? { ...token, revokedAt } : token)));
    setRevoking(undefined);
  }

  if (list.loading) return <Loading />;
  if (list.error && list.items.length === 0) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.items.length === 0) return <EmptyState title={t('tokens.empty')} />;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-stack" data-testid="tokens-table">
          <thead>
            <tr>
              <th scope="col">{t('tokens.col.name')}</th>
              <th scope="col">{t('tokens.col.status')}</th>
              <th scope="col" className="hide-sm">
                {t('tokens.col.owner')}
              </th>
              <th scope="col" className="hide-sm">
                {t('tokens.col.expires')}
              </th>
              <th scope="col" className="hide-sm">
                {t('tokens.col.lastUsed')}
              </th>
              <th scope="col" className="cell-actions">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((token) => {
              const state = tokenState(token, now);
              return (
                <tr key={token.id} data-testid="token-row" data-name={token.name}>
                  <td>
                    <span className="cell-primary">{token.name}</span>
                    <code className="cell-secondary">{token.prefix}…</code>
                  </td>
                  <td>
                    <Badge tone={TONE[state]}>{t(`tokens.state.${state}`)}</Badge>
                  </td>
                  <td className="hide-sm">{token.user.name}</td>
                  <td className="hide-sm">{token.expiresAt ? formatDate(token.expiresAt) : t('tokens.never')}</td>
                  <td className="hide-sm">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.neverUsed')}</td>
                  <td className="cell-actions">
                    {state === 'active' && (
                      <button
                        type="button"
                        className="button button-danger-ghost"
                        disabled={!!blocked}
                        title={blocked ?? undefined}
                        onClick={() => setRevoking(token)}
                      >
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {list.error && <ErrorState error={list.error} />}
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoadMore={list.loadMore} />
      <ConfirmDialog
        open={!!revoking}
        title={t('tokens.revoke.title')}
        message={t('tokens.revoke.message', { name: revoking?.name ?? '', prefix: revoking?.prefix ?? '' })}
        confirmLabel={t('tokens.revoke.confirm')}
        pending={revoke.pending}
        error={revoke.error}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => {
          setRevoking(undefined);
          revoke.reset();
        }}
      />
    </>
  );
}
