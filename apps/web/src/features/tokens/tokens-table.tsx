'use client';

import { type ApiToken, apiTokenRoutes } from '@wharf/contracts';
import { Badge, type BadgeTone } from '@/components/badge';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { actionsColumn, type Column, DangerRowButton, DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
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
  const blocked = denial('tokens.revoke');
  const revoke = useConfirmAction(
    (token: ApiToken) => api(apiTokenRoutes.revoke, { params: { tenant: tenant.slug, tokenId: token.id } }),
    ({ id }) => {
      const revokedAt = new Date().toISOString();
      list.mutate((items) => items.map((token) => (token.id === id ? { ...token, revokedAt } : token)));
    },
  );
  const now = Date.now();

  const columns: Column<ApiToken>[] = [
    {
      id: 'name',
      header: 'tokens.col.name',
      cell: (token) => (
        <>
          <span className="cell-primary">{token.name}</span>
          <code className="cell-secondary">{token.prefix}…</code>
        </>
      ),
    },
    {
      id: 'status',
      header: 'tokens.col.status',
      cell: (token) => {
        const state = tokenState(token, now);
        return <Badge tone={TONE[state]}>{t(`tokens.state.${state}`)}</Badge>;
      },
    },
    { id: 'owner', header: 'tokens.col.owner', className: 'hide-sm', cell: (token) => token.user.name },
    {
      id: 'expires',
      header: 'tokens.col.expires',
      className: 'hide-sm',
      cell: (token) => (token.expiresAt ? formatDate(token.expiresAt) : t('tokens.never')),
    },
    {
      id: 'lastUsed',
      header: 'tokens.col.lastUsed',
      className: 'hide-sm',
      cell: (token) => (token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.neverUsed')),
    },
    actionsColumn(
      (token) =>
        tokenState(token, now) === 'active' && (
          <DangerRowButton blocked={blocked} onClick={() => revoke.ask(token)}>
            {t('tokens.revoke')}
          </DangerRowButton>
        ),
    ),
  ];

  return (
    <DataTable
      list={list}
      columns={columns}
      rowKey={(token) => token.id}
      testId="tokens-table"
      rowTestId="token-row"
      rowData={(token) => ({ 'data-name': token.name })}
      emptyTitle={t('tokens.empty')}
    >
      <ConfirmDialog
        {...revoke.dialog}
        title={t('tokens.revoke.title')}
        message={t('tokens.revoke.message', { name: revoke.target?.name ?? '', prefix: revoke.target?.prefix ?? '' })}
        confirmLabel={t('tokens.revoke.confirm')}
      />
    </DataTable>
  );
}
