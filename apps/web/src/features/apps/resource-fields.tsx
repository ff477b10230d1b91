'use client';

import { Field } from '@/components/field';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** What the fields start with (a new app's defaults when absent). */
export interface ResourceValues {
  cpuMillis: number;
  memoryMiB: number;
}

/**
 * Replicas and what each replica may use; the API admits the total against the team's quotas. `values`: an existing
 * app's, whose replicas are scaled elsewhere (its settings show only CPU and memory).
 */
export function ResourceFields({ error, values }: { error: ApiError | undefined; values?: ResourceValues }) {
  const { t } = useI18n();
  return (
    <div className="form-grid form-grid-3">
      {!values && <ReplicasField error={error} />}
      <Field label={t('apps.create.cpu')} hint={t('apps.create.cpuHint')} errors={error?.fieldMessages('body.cpuMillis')}>
        {(control) => (
          <input
            {...control}
            className="input"
            name="cpuMillis"
            type="number"
            min={10}
            max={64000}
            step={10}
            defaultValue={values?.cpuMillis ?? 250}
            required
          />
        )}
      </Field>
      <Field label={t('apps.create.memory')} hint={t('apps.create.memoryHint')} errors={error?.fieldMessages('body.memoryMiB')}>
        {(control) => (
          <input
            {...control}
            className="input"
            name="memoryMiB"
            type="number"
            min={6}
            max={262144}
            step={1}
            defaultValue={values?.memoryMiB ?? 128}
            required
          />
        )}
      </Field>
    </div>
  );
}

function ReplicasField({ error }: { error: ApiError | undefined }) {
  const { t } = useI18n();
  return (
    <Field label={t('apps.create.replicas')} errors={error?.fieldMessages('body.replicas')}>
      {(control) => (
        <input
          {...control}
          className="input"
          name="replicas"
          type="number"
          min={0}
          max={100}
          step={1}
          defaultValue={1}
          required
        />
      )}
    </Field>
  );
}
