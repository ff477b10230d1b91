'use client';

import { BUILD_REGIONS, PROGRAM_TYPES } from '@wharf/contracts';
import { useState } from 'react';
import { Field } from '@/components/field';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type AppSource, type ArgsError, formatArgs, type ProgramType } from './source-body';

export interface BuildSettingsFieldsProps {
  /** Where the API reports these fields: `body.source` (create) or `body` (the source page). */
  prefix: string;
  error: ApiError | undefined;
  /** A `KEY=value` list of the form that did not read. */
  argsError: ArgsError | undefined;
  /** The source page: the app's settings, its secret args' names, and the Dockerfile override. */
  source?: AppSource;
}

/**
 * How the image is built: the program type (the repository's Dockerfile, or one Wharf writes), Dockerfile path,
 * context, target stage, build args, secret build args, region and timeout; on the source page the override.
 */
export function BuildSettingsFields({ prefix, error, argsError, source }: BuildSettingsFieldsProps) {
  const { t } = useI18n();
  const settings = source?.settings;
  const [programType, setProgramType] = useState<ProgramType>(settings?.programType ?? 'auto');
  const at = (field: string) => error?.fieldMessages(`${prefix}.${field}`);
  const argsProblem = (field: string) =>
    argsError?.field === field ? [t('buildSettings.badArgs', { lines: argsError.lines.join(', ') })] : undefined;
  return (
    <>
      <fieldset className="fieldset" data-testid="program-type">
        <legend className="field-label">{t('buildSettings.programType')}</legend>
        <div className="choice-group">
          {PROGRAM_TYPES.map((type) => (
            <label key={type} className={programType === type ? 'choice active' : 'choice'}>
              <input
                type="radio"
                name="programType"
                value={type}
                checked={programType === type}
                onChange={() => setProgramType(type)}
              />
              <span className="choice-text">
                <span className="choice-title">{t(`programType.${type}`)}</span>
                <span className="field-hint">{t(`programType.${type}Hint`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        <Field
          label={t('buildSettings.dockerfilePath')}
          hint={t('buildSettings.dockerfilePathHint')}
          errors={at('settings.dockerfilePath')}
        >
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="dockerfilePath"
              defaultValue={settings?.dockerfilePath ?? 'Dockerfile'}
              maxLength={255}
              spellCheck={false}
            />
          )}
        </Field>
        <Field label={t('buildSettings.context')} hint={t('buildSettings.contextHint')} errors={at('settings.context')}>
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="context"
              defaultValue={settings?.context ?? '.'}
              maxLength={255}
              spellCheck={false}
            />
          )}
        </Field>
        <Field label={t('buildSettings.target')} hint={t('buildSettings.targetHint')} errors={at('settings.target')}>
          {(control) => (
            <input
              {...control}
              className="input input-mono"
              name="target"
              defaultValue={settings?.target ?? ''}
              maxLength={128}
              spellCheck={false}
            />
          )}
        </Field>
        <Field label={t('buildSettings.region')} hint={t('buildSettings.regionHint')} errors={at('region')}>
          {(control) => (
            <select {...control} className="select" name="region" defaultValue={source?.region ?? 'global'}>
              {BUILD_REGIONS.map((region) => (
                <option key={region} value={region}>
                  {t(`region.${region}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('buildSettings.timeout')} errors={at('settings.timeoutMinutes')}>
          {(control) => (
            <input
              {...control}
              className="input input-narrow"
              name="timeoutMinutes"
              type="number"
              min={1}
              max={120}
              step={1}
              defaultValue={settings?.timeoutMinutes ?? 30}
            />
          )}
        </Field>
      </div>
      <Field
        label={t('buildSettings.buildArgs')}
        hint={t('buildSettings.argsHint')}
        errors={argsProblem('buildArgs') ?? at('settings.buildArgs')}
      >
        {(control) => (
          <textarea
            {...control}
            className="input input-mono"
            name="buildArgs"
            rows={3}
            spellCheck={false}
            defaultValue={formatArgs(settings?.buildArgs ?? {})}
            placeholder="NODE_ENV=production"
          />
        )}
      </Field>
      <SecretArgsField source={source} errors={argsProblem('secretBuildArgs') ?? at('secretBuildArgs')} />
      {source && (
        <Field label={t('buildSettings.dockerfile')} hint={t('buildSettings.dockerfileHint')} errors={at('settings.dockerfile')}>
          {(control) => (
            <textarea
              {...control}
              className="input input-mono"
              name="dockerfile"
              rows={8}
              spellCheck={false}
              defaultValue={settings?.dockerfile ?? ''}
            />
          )}
        </Field>
      )}
    </>
  );
}

/** Secret build args: written, never read back. On the source page they replace the set only when asked. */
function SecretArgsField({ source, errors }: { source: AppSource | undefined; errors: string[] | undefined }) {
  const { t, formatList } = useI18n();
  const names = source?.secretBuildArgs ?? [];
  const hint = source
    ? `${t('buildSettings.secretArgsHint')} ${
        names.length > 0 ? t('buildSettings.secretArgsNames', { names: formatList(names) }) : t('buildSettings.secretArgsNone')
      }`
    : t('buildSettings.secretArgsHint');
  return (
    <>
      <Field label={t('buildSettings.secretBuildArgs')} hint={hint} errors={errors}>
        {(control) => (
          <textarea
            {...control}
            className="input input-mono"
            name="secretBuildArgs"
            rows={2}
            spellCheck={false}
            autoComplete="off"
            placeholder="NPM_TOKEN=…"
          />
        )}
      </Field>
      {source && (
        <label className="checkbox">
          <input type="checkbox" name="replaceSecrets" />
          {t('buildSettings.replaceSecrets')}
        </label>
      )}
    </>
  );
}
