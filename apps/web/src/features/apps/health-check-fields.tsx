'use client';

import { useState } from 'react';
import { Field } from '@/components/field';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { HEALTHCHECK_CHOICES, type HealthcheckChoice } from './read-app-form';

function isChoice(value: string): value is HealthcheckChoice {
  return HEALTHCHECK_CHOICES.some((choice) => choice === value);
}

/** An existing app's health check, as the fields show it. */
export type HealthcheckValue =
  | { type: 'http'; path: string; intervalSeconds?: number }
  | { type: 'command'; command: string[]; intervalSeconds?: number };

/**
 * None, an HTTP path probed on the app's port, or a command run in the container (argv, one per line). `initial`:
 * an existing app's check (none when absent).
 */
export function HealthCheckFields({ error, initial }: { error: ApiError | undefined; initial?: HealthcheckValue | null }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<HealthcheckChoice>(initial?.type ?? 'none');
  return (
    <div className="form-grid">
      <Field label={t('apps.create.healthcheck')} errors={error?.fieldMessages('body.healthcheck.type')}>
        {(control) => (
          <select
            {...control}
            className="select"
            name="healthcheck"
            value={choice}
            onChange={(event) => {
              const value = event.target.value;
              if (isChoice(value)) setChoice(value);
            }}
          >
            {HEALTHCHECK_CHOICES.map((option) => (
              <option key={option} value={option}>
                {t(`apps.create.healthcheck.${option}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {choice === 'http' && (
        <Field
          label={t('apps.create.healthPath')}
          hint={t('apps.create.healthPathHint')}
          errors={error?.fieldMessages('body.healthcheck.path')}
        >
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="healthPath"
              defaultValue={initial?.type === 'http' ? initial.path : '/'}
              required
              maxLength={1024}
              pattern="/\S*"
              autoComplete="off"
            />
          )}
        </Field>
      )}
      {choice === 'command' && (
        <Field
          label={t('apps.create.healthCommand')}
          hint={t('apps.create.argvHint')}
          errors={error?.fieldMessages('body.healthcheck.command')}
        >
          {(control) => (
            <textarea
              {...control}
              className="input input-mono"
              name="healthCommand"
              rows={3}
              required
              spellCheck={false}
              defaultValue={initial?.type === 'command' ? initial.command.join('\n') : undefined}
              placeholder={'wget\n-q\n-O-\nhttp://localhost:8080/'}
            />
          )}
        </Field>
      )}
    </div>
  );
}
