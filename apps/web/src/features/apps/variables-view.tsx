'use client';

import { type Variable, variableRoutes } from '@wharf/contracts';
import { useState } from 'react';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { DataTable } from '@/components/data-table';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useCursorList } from '@/lib/hooks/use-cursor-list';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { VariableDialog, type VariableEdit } from './variable-dialog';
import { VARIABLE_COLUMNS, VariableRow } from './variable-row';

/**
 * Environment variables and secrets of one environment (production by default); secrets masked until revealed
 * (owners and admins).
 */
export function VariablesView({ environment }: { environment?: string | undefined }) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const { params } = useApp();
  const blocked = denial('apps.write');
  const [edit, setEdit] = useState<VariableEdit>();
  const query = environment === undefined ? undefined : { environment };
  const list = useCursorList(
    // one page: the route lists every variable of the environment
    (_cursor, signal) => api(variableRoutes.list, { params, query }, { signal }),
    [params, environment],
  );
  const remove = useConfirmAction(
    (variable: Variable) => api(variableRoutes.remove, { params: { ...params, key: variable.key }, query }),
    ({ key }) => list.mutate((items) => items.filter((item) => item.key !== key)),
  );

  function onSaved(saved: Variable) {
    list.mutate((items) =>
      items.some((item) => item.key === saved.key)
        ? items.map((item) => (item.key === saved.key ? saved : item))
        : [...items, saved],
    );
    setEdit(undefined);
  }

  return (
    <section className="card" aria-labelledby="variables-title">
      <div className="card-header card-header-row">
        <div>
          <h2 id="variables-title">
            {environment === undefined ? t('apps.variables.title') : t('apps.variables.titleOf', { environment })}
          </h2>
          <p className="muted">{t('apps.variables.nextDeploy')}</p>
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={!!blocked}
          title={blocked ?? undefined}
          onClick={() => setEdit({ mode: 'add' })}
        >
          {t('apps.variables.add')}
        </button>
      </div>
      <DataTable
        list={list}
        columns={VARIABLE_COLUMNS}
        // a saved variable remounts its row, which forgets a value revealed before the change
        rowKey={(variable) => `${variable.key}@${variable.updatedAt}`}
        testId="variables-table"
        emptyTitle={t('apps.variables.none')}
        renderRow={(variable) => (
          <VariableRow
            variable={variable}
            environment={environment}
            onEdit={(target, value) => setEdit({ mode: 'edit', variable: target, value })}
            onRemove={remove.ask}
          />
        )}
      >
        <ConfirmDialog
          {...remove.dialog}
          title={t('apps.variables.remove.title')}
          message={t('apps.variables.remove.message', { key: remove.target?.key ?? '' })}
          confirmLabel={t('apps.variables.remove.confirm')}
        />
      </DataTable>
      <VariableDialog
        edit={edit}
        environment={environment}
        existing={new Set(list.items.map((item) => item.key))}
        onClose={() => setEdit(undefined)}
        onSaved={onSaved}
      />
    </section>
  );
}
