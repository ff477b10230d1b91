'use client';

import { Field } from '@/components/field';
import { useApp } from '@/features/apps/app-provider';

export interface EnvironmentFieldProps {
  label: string;
  errors: readonly string[] | undefined;
  /** The first option, value `""`: what the API does when no environment is named. */
  defaultLabel?: string;
  defaultValue?: string;
}

/** The `environment` select of a form that deploys a build: one of the app's environments, or the API's default. */
export function EnvironmentField({ label, errors, defaultLabel, defaultValue = '' }: EnvironmentFieldProps) {
  const { app } = useApp();
  return (
    <Field label={label} errors={errors}>
      {(control) => (
        <select {...control} className="select" name="environment" defaultValue={defaultValue}>
          {defaultLabel !== undefined && <option value="">{defaultLabel}</option>}
          {app.environments.map((environment) => (
            <option key={environment.name} value={environment.name}>
              {environment.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
