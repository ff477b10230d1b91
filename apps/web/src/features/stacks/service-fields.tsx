'use client';

import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { LinesControl, NumberControl, SelectControl, TextControl } from './form-controls';
import {
  DEPENDENCY_CONDITIONS,
  type DependencyCondition,
  type FormProblem,
  optionalText,
  PROTOCOLS,
  type ServiceForm,
} from './stack-form';

export interface ServiceFieldsProps {
  service: ServiceForm;
  /** `services.<index>`: the prefix of this service's problem paths. */
  path: string;
  /** The other services' names: what this one can depend on. */
  others: readonly string[];
  problems: readonly FormProblem[];
  disabled: boolean;
  onChange: (service: ServiceForm) => void;
  onRename: (name: string) => void;
  onRemove: () => void;
}

/** One service of the form: what it runs, its ports, variables, dependencies, health check and volumes. */
export function ServiceFields({ service, path, others, problems, disabled, onChange, onRename, onRemove }: ServiceFieldsProps) {
  const { t } = useI18n();
  const id = useId();
  const problemAt = (at: string) => {
    const found = problems.find((p) => p.path === `${path}.${at}`);
    return found && t(`stacks.form.problem.${found.kind}`);
  };
  const set = (change: Partial<ServiceForm>) => onChange({ ...service, ...change });
  const healthcheck = service.healthcheck;

  return (
    <fieldset className="card service-card" disabled={disabled} data-testid="service-fields" data-name={service.name}>
      <legend className="card-legend">{t('stacks.form.service', { name: service.name || '…' })}</legend>
      <div className="form-grid">
        <TextControl
          id={`${id}-name`}
          label={t('stacks.form.name')}
          value={service.name}
          error={problemAt('name')}
          onChange={onRename}
        />
        <TextControl
          id={`${id}-image`}
          label={t('stacks.form.image')}
          value={service.image ?? ''}
          placeholder="nginx:1.27"
          onChange={(value) => set({ image: optionalText(value) })}
        />
        <NumberControl
          id={`${id}-replicas`}
          label={t('stacks.form.replicas')}
          value={service.replicas}
          min={0}
          max={100}
          onChange={(replicas) => set({ replicas })}
        />
        <TextControl
          id={`${id}-cpus`}
          label={t('stacks.form.cpus')}
          hint={t('stacks.form.cpusHint')}
          value={service.cpus ?? ''}
          placeholder="0.5"
          onChange={(value) => set({ cpus: optionalText(value) })}
        />
        <TextControl
          id={`${id}-memory`}
          label={t('stacks.form.memory')}
          hint={t('stacks.form.memoryHint')}
          value={service.memory ?? ''}
          placeholder="256M"
          onChange={(value) => set({ memory: optionalText(value) })}
        />
      </div>
      <LinesControl
        id={`${id}-command`}
        label={t('stacks.form.command')}
        hint={t('apps.create.argvHint')}
        value={service.command ?? []}
        onChange={(command) => set({ command: command.length > 0 ? command : undefined })}
      />

      <fieldset className="fieldset" data-testid="ports">
        <legend className="field-label">{t('stacks.form.ports')}</legend>
        {service.ports.map((port, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows hold no state of their own; their inputs show the draft
          <div className="form-row-grid" key={index}>
            <NumberControl
              id={`${id}-port-${index}`}
              label={t('stacks.form.target')}
              value={port.target}
              min={1}
              max={65_535}
              error={problemAt(`ports.${index}.target`)}
              onChange={(target) =>
                set({ ports: service.ports.map((p, i) => (i === index ? { ...p, target: target ?? Number.NaN } : p)) })
              }
            />
            <NumberControl
              id={`${id}-published-${index}`}
              label={t('stacks.form.published')}
              value={port.published}
              min={1}
              max={65_535}
              error={problemAt(`ports.${index}.published`)}
              onChange={(published) => set({ ports: service.ports.map((p, i) => (i === index ? { ...p, published } : p)) })}
            />
            <SelectControl
              id={`${id}-protocol-${index}`}
              label={t('stacks.form.protocol')}
              value={port.protocol}
              options={PROTOCOLS}
              optionLabel={(p) => p.toUpperCase()}
              onChange={(protocol) => set({ ports: service.ports.map((p, i) => (i === index ? { ...p, protocol } : p)) })}
            />
            <RemoveButton
              label={t('stacks.form.removePort', { n: index + 1 })}
              onClick={() => set({ ports: service.ports.filter((_p, i) => i !== index) })}
            />
          </div>
        ))}
        <AddButton onClick={() => set({ ports: [...service.ports, { target: Number.NaN, protocol: 'tcp' }] })}>
          {t('stacks.form.addPort')}
        </AddButton>
      </fieldset>

      <fieldset className="fieldset" data-testid="environment">
        <legend className="field-label">{t('stacks.form.environment')}</legend>
        {service.environment.map((variable, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows hold no state of their own; their inputs show the draft
          <div className="form-row-grid form-row-grid-kv" key={index}>
            <TextControl
              id={`${id}-env-key-${index}`}
              label={t('apps.variables.key')}
              value={variable.key}
              error={problemAt(`environment.${index}.key`)}
              onChange={(key) => set({ environment: service.environment.map((v, i) => (i === index ? { ...v, key } : v)) })}
            />
            <TextControl
              id={`${id}-env-value-${index}`}
              label={t('apps.variables.value')}
              value={variable.value ?? ''}
              placeholder={variable.value === null ? t('stacks.form.passThrough') : undefined}
              onChange={(value) => set({ environment: service.environment.map((v, i) => (i === index ? { ...v, value } : v)) })}
            />
            <RemoveButton
              label={t('stacks.form.removeVariable', { n: index + 1 })}
              onClick={() => set({ environment: service.environment.filter((_v, i) => i !== index) })}
            />
          </div>
        ))}
        <AddButton onClick={() => set({ environment: [...service.environment, { key: '', value: '' }] })}>
          {t('apps.create.addVariable')}
        </AddButton>
      </fieldset>

      <fieldset className="fieldset" data-testid="depends-on">
        <legend className="field-label">{t('stacks.form.dependsOn')}</legend>
        {service.dependsOn.map((dependency, index) => {
          const choices = others.includes(dependency.service) ? others : [dependency.service, ...others];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows hold no state of their own; their inputs show the draft
            <div className="form-row-grid form-row-grid-kv" key={index}>
              <SelectControl
                id={`${id}-dep-${index}`}
                label={t('stacks.form.dependsOnService')}
                value={dependency.service}
                options={choices}
                optionLabel={(name) => name || t('stacks.form.chooseService')}
                error={problemAt(`dependsOn.${index}.service`)}
                onChange={(name) =>
                  set({ dependsOn: service.dependsOn.map((d, i) => (i === index ? { ...d, service: name } : d)) })
                }
              />
              <SelectControl<DependencyCondition>
                id={`${id}-cond-${index}`}
                label={t('stacks.form.condition')}
                value={dependency.condition}
                options={DEPENDENCY_CONDITIONS}
                optionLabel={(c) => t(`stacks.form.condition.${c}`)}
                onChange={(condition) =>
                  set({ dependsOn: service.dependsOn.map((d, i) => (i === index ? { ...d, condition } : d)) })
                }
              />
              <RemoveButton
                label={t('stacks.form.removeDependency', { n: index + 1 })}
                onClick={() => set({ dependsOn: service.dependsOn.filter((_d, i) => i !== index) })}
              />
            </div>
          );
        })}
        <AddButton
          disabled={others.length === 0}
          onClick={() =>
            set({
              dependsOn: [
                ...service.dependsOn,
                {
                  service: others.find((o) => !service.dependsOn.some((d) => d.service === o)) ?? '',
                  condition: 'service_started',
                },
              ],
            })
          }
        >
          {t('stacks.form.addDependency')}
        </AddButton>
      </fieldset>

      <fieldset className="fieldset" data-testid="healthcheck">
        <legend className="field-label">{t('stacks.form.healthcheck')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={!!healthcheck}
            onChange={(event) => set({ healthcheck: event.target.checked ? { test: [] } : undefined })}
          />
          {t('stacks.form.healthcheckOn')}
        </label>
        {healthcheck && (
          <div className="form-grid">
            <LinesControl
              id={`${id}-hc-test`}
              label={t('stacks.form.healthcheckTest')}
              hint={t('stacks.form.healthcheckTestHint')}
              value={healthcheck.test}
              placeholder={'CMD\nwget\n-q\n-O-\nhttp://localhost:8080/'}
              onChange={(test) => set({ healthcheck: { ...healthcheck, test } })}
            />
            <div className="form-grid form-grid-3">
              <TextControl
                id={`${id}-hc-interval`}
                label={t('stacks.form.interval')}
                value={healthcheck.interval ?? ''}
                placeholder="10s"
                onChange={(value) => set({ healthcheck: { ...healthcheck, interval: optionalText(value) } })}
              />
              <TextControl
                id={`${id}-hc-timeout`}
                label={t('stacks.form.timeout')}
                value={healthcheck.timeout ?? ''}
                placeholder="5s"
                onChange={(value) => set({ healthcheck: { ...healthcheck, timeout: optionalText(value) } })}
              />
              <NumberControl
                id={`${id}-hc-retries`}
                label={t('stacks.form.retries')}
                value={healthcheck.retries}
                min={0}
                max={100}
                onChange={(retries) => set({ healthcheck: { ...healthcheck, retries } })}
              />
            </div>
          </div>
        )}
      </fieldset>

      <LinesControl
        id={`${id}-volumes`}
        label={t('stacks.form.volumes')}
        hint={t('stacks.form.volumesHint')}
        value={service.volumes}
        placeholder="data:/var/lib/data"
        onChange={(volumes) => set({ volumes })}
      />
      <div className="form-actions">
        <button type="button" className="button button-danger-ghost" onClick={onRemove}>
          {t('stacks.form.removeService', { name: service.name })}
        </button>
      </div>
    </fieldset>
  );
}

function AddButton({ onClick, disabled, children }: { onClick: () => void; disabled?: boolean; children: string }) {
  return (
    <div>
      <button type="button" className="button button-secondary button-small" disabled={disabled} onClick={onClick}>
        {children}
      </button>
    </div>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useI18n();
  return (
    <div className="form-row-action">
      <button type="button" className="button button-ghost" aria-label={label} title={label} onClick={onClick}>
        {t('apps.create.remove')}
      </button>
    </div>
  );
}
