'use client';

import { CopyField } from '@/components/copy-field';
import { Dialog } from '@/components/dialog';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** A join token just issued, with what it is for: the cluster's name, and its edge proxy's port when known. */
export interface IssuedToken {
  clusterName: string;
  joinToken: string;
  proxyPort?: number | undefined;
}

/** How an agent is started with the token (as scripts/up.sh starts the local one), against this page's API. */
export function agentCommand(token: IssuedToken, apiUrl: string): string {
  const env = [
    `WHARF_API_URL=${apiUrl}`,
    `WHARF_JOIN_TOKEN=${token.joinToken}`,
    `WHARF_AGENT_NAME=${token.clusterName}-agent`,
    'WHARF_AGENT_STATE=/var/lib/wharf-agent/state.json',
    ...(token.proxyPort !== undefined ? [`WHARF_PROXY_LISTEN=:${token.proxyPort}`] : []),
  ];
  return `${env.join(' ')} node apps/agent/dist/main.js`;
}

/** A one-time join token, shown once: the token and the command that starts an agent with it. */
export function JoinTokenDialog({ token, onClose }: { token: IssuedToken | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const apiUrl = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <Dialog
      open={!!token}
      title={t('adminClusters.token.title', { name: token?.clusterName ?? '' })}
      onClose={onClose}
      testId="join-token-dialog"
    >
      {token && (
        <>
          <div className="alert alert-warning" role="status">
            <p>{t('adminClusters.token.once')}</p>
          </div>
          <CopyField label={t('adminClusters.token.label')} value={token.joinToken} testId="join-token" />
          <CopyField label={t('adminClusters.token.command')} value={agentCommand(token, apiUrl)} testId="agent-command" />
          <p className="muted">{t('adminClusters.token.commandHint')}</p>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('adminClusters.token.done')}
        </button>
      </div>
    </Dialog>
  );
}
