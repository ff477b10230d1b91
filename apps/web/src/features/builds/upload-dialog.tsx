'use client';

import { type Build, buildRoutes, MAX_UPLOAD_BYTES } from '@wharf/contracts';
import { useState } from 'react';
import { Field } from '@/components/field';
import { FormDialog } from '@/components/form-dialog';
import { useApp } from '@/features/apps/app-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { EnvironmentField } from './environment-field';

export interface UploadDialogProps {
  open: boolean;
  onClose: () => void;
  onStarted: (build: Build) => void;
}

const MAX_MIB = MAX_UPLOAD_BYTES / (1024 * 1024);

/**
 * "Upload source": a gzip-compressed tar of the app's source (what `wharf deploy` sends), built and deployed to the
 * environment chosen (production by default). The archive goes to the API as is; the API checks it.
 */
export function UploadDialog({ open, onClose, onStarted }: UploadDialogProps) {
  const { t } = useI18n();
  const { params } = useApp();
  const [tooLarge, setTooLarge] = useState(false);
  const upload = useAction((archive: Blob, environment: string) =>
    api(buildRoutes.upload, { params, query: environment ? { environment } : {} }, { archive }),
  );

  async function onSubmit(form: FormData) {
    const archive = form.get('archive');
    if (!(archive instanceof Blob) || archive.size === 0) return;
    const over = archive.size > MAX_UPLOAD_BYTES;
    setTooLarge(over);
    if (over) return;
    const result = await upload.run(archive, String(form.get('environment') ?? ''));
    if (result.ok) onStarted(result.value);
  }

  function close() {
    setTooLarge(false);
    onClose();
  }

  return (
    <FormDialog
      open={open}
      title={t('builds.upload.title')}
      testId="upload-dialog"
      action={upload}
      submitLabel={t('builds.upload.submit')}
      pendingLabel={t('builds.upload.pending')}
      shownFields={['body', 'query.environment']}
      description={<p className="muted">{t('builds.upload.description')}</p>}
      onSubmit={onSubmit}
      onClose={close}
    >
      <Field
        label={t('builds.upload.archive')}
        hint={t('builds.upload.archiveHint', { max: MAX_MIB })}
        errors={[
          ...(tooLarge ? [t('builds.upload.tooLarge', { max: MAX_MIB })] : []),
          ...(upload.error?.fieldMessages('body') ?? []),
        ]}
      >
        {(control) => (
          <input {...control} className="input" type="file" name="archive" accept=".tar.gz,.tgz,application/gzip" required />
        )}
      </Field>
      <EnvironmentField
        label={t('builds.now.deployTo')}
        errors={upload.error?.fieldMessages('query.environment')}
        defaultLabel={t('builds.upload.deployDefault')}
      />
    </FormDialog>
  );
}
