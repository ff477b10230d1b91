'use client';

import { CLUSTER_POLICY_RULES, type ClusterPolicyRule, clusterPolicyRoutes, type TenantCluster } from '@wharf/contracts';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

const SHOWN = ['body.relaxed'];

/**
 * The compose policy of a dedicated cluster (`PUT …/clusters/{cluster}/policy`): which of the rules that keep
 * containers away from their host the owner relaxes here (privileged, host network, bind mounts, the docker
 * socket…). The shared cluster enforces every rule. Only owners may change it; the API audits every change.
 */
export function ClusterPolicySection({ cluster, onSaved }: { cluster: TenantCluster; onSaved: (relaxed: string[]) => void }) {
  const { t, formatList } = useI18n();
  const { tenant, denial } = useTenant();
  const blocked = denial('clusters.policy');
  const [relaxed, setRelaxed] = useState<ReadonlySet<string>>(() => new Set(cluster.policyRelaxed));
  const [saved, setSaved] = useState(false);
  const save = useAction((rules: string[]) =>
    api(clusterPolicyRoutes.set, { params: { tenant: tenant.slug, cluster: cluster.id }, body: { relaxed: rules } }),
  );
  const stored = new Set(cluster.policyRelaxed);
  const changed = relaxed.size !== stored.size || [...relaxed].some((r) => !stored.has(r));

  function toggle(rule: ClusterPolicyRule, on: boolean) {
    setSaved(false);
    save.reset();
    setRelaxed((current) => {
      const next = new Set(current);
      if (on) next.add(rule);
      else next.delete(rule);
      return next;
    });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await save.run(CLUSTER_POLICY_RULES.filter((r) => relaxed.has(r)));
    if (!result.ok) return;
    setSaved(true);
    setRelaxed(new Set(result.value.policyRelaxed));
    onSaved(result.value.policyRelaxed);
  }

  const current = cluster.policyRelaxed;
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="policy-title" data-testid="cluster-policy">
      <div className="card-header">
        <h2 id="policy-title">{t('clusterPolicy.title')}</h2>
        <p className="muted">{t('clusterPolicy.subtitle')}</p>
        <p data-testid="cluster-policy-current">
          {current.length === 0 ? t('clusterPolicy.allEnforced') : t('clusterPolicy.relaxedNow', { rules: formatList(current) })}
        </p>
      </div>
      {blocked && <p className="alert alert-warning">{blocked}</p>}
      <fieldset className="fieldset policy-rules" disabled={!!blocked} aria-describedby="policy-warning">
        <legend className="field-label">{t('clusterPolicy.legend')}</legend>
        <p id="policy-warning" className="field-hint">
          {t('clusterPolicy.warning')}
        </p>
        {CLUSTER_POLICY_RULES.map((rule) => (
          <label key={rule} className="checkbox" data-testid="policy-rule" data-rule={rule}>
            <input type="checkbox" checked={relaxed.has(rule)} onChange={(e) => toggle(rule, e.currentTarget.checked)} />
            <span>
              <code>{rule}</code> — {t(`clusterPolicy.rule.${rule}`)}
            </span>
          </label>
        ))}
        {(save.error?.fieldMessages('body.relaxed') ?? []).length > 0 && (
          <p className="field-error" data-testid="field-error">
            {save.error?.fieldMessages('body.relaxed').join(' ')}
          </p>
        )}
      </fieldset>
      <ProblemAlert error={save.error} shownFields={SHOWN} />
      {saved && (
        <p className="alert alert-success" role="status" data-testid="cluster-policy-saved">
          {t('common.saved')}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={!!blocked || save.pending || !changed}
          aria-busy={save.pending}
          title={blocked ?? undefined}
        >
          {save.pending ? t('common.saving') : t('clusterPolicy.save')}
        </button>
      </div>
    </form>
  );
}
