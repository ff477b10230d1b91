'use client';

import { Field } from '@/components/field';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The app's name on the create form (part of its URL). */
export function NameField({ error }: { error: ApiError | undefined }) {
  const { t } = useI18n();
  return (
    <Field label={t('apps.create.name')} hint={t('apps.create.nameHint')} errors={error?.fieldMessages('body.name')}>
      {(control) => (
        <input
          {...control}
          className="input input-mono"
          name="name"
          required
          minLength={2}
          maxLength={40}
          pattern="[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
          autoComplete="off"
          spellCheck={false}
        />
      )}
    </Field>
  );
}
