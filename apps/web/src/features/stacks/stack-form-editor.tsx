'use client';

import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { LinesControl } from './form-controls';
import { ServiceFields } from './service-fields';
import { type FormProblem, newService, renameService, type StackForm, withoutService, withService } from './stack-form';

export interface StackFormEditorProps {
  form: StackForm;
  problems: readonly FormProblem[];
  disabled: boolean;
  onChange: (form: StackForm) => void;
}

/** The stack as a form: a card per service, then the named volumes. */
export function StackFormEditor({ form, problems, disabled, onChange }: StackFormEditorProps) {
  const { t } = useI18n();
  const id = useId();
  const names = form.services.map((s) => s.name);
  return (
    <div className="stack-form" data-testid="stack-form">
      {form.services.length === 0 && <p className="muted">{t('stacks.form.noServices')}</p>}
      {form.services.map((service, index) => (
        <ServiceFields
          // biome-ignore lint/suspicious/noArrayIndexKey: a service's name changes as it is typed; its card holds no draft state
          key={index}
          service={service}
          path={`services.${index}`}
          others={names.filter((_n, i) => i !== index)}
          problems={problems}
          disabled={disabled}
          onChange={(next) => onChange(withService(form, index, next))}
          onRename={(name) => onChange(renameService(form, index, name))}
          onRemove={() => onChange(withoutService(form, index))}
        />
      ))}
      <div>
        <button
          type="button"
          className="button button-secondary"
          disabled={disabled}
          onClick={() => onChange({ ...form, services: [...form.services, newService(form)] })}
        >
          {t('stacks.form.addService')}
        </button>
      </div>
      <fieldset className="card" disabled={disabled}>
        <legend className="card-legend">{t('stacks.form.namedVolumes')}</legend>
        <LinesControl
          id={`${id}-volumes`}
          label={t('stacks.form.namedVolumesLabel')}
          hint={t('stacks.form.namedVolumesHint')}
          value={form.volumes}
          onChange={(volumes) => onChange({ ...form, volumes })}
        />
      </fieldset>
    </div>
  );
}
