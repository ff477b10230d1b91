'use client';

import dynamic from 'next/dynamic';
import { useId, useRef } from 'react';
import { Loading } from '@/components/states';
import type { ApiError } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { StackIssueList } from './stack-issue-list';
import { issuesFromFieldErrors } from './stack-issues';
import type { YamlEditorHandle } from './yaml-editor';

/**
 * CodeMirror (~140 KB gzipped) is fetched when a compose app is chosen, not with the create page: most apps are made
 * from an image or a repository.
 */
const YamlEditor = dynamic(() => import('./yaml-editor').then((module) => module.YamlEditor), {
  ssr: false,
  loading: () => <Loading />,
});

export interface ComposeFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** The create call's refusal: its problems in the file are marked at their lines. */
  error: ApiError | undefined;
  /** The text the refusal was about. */
  sent: string | undefined;
  /** Submitted empty. */
  missing: boolean;
}

/** The compose file of a new app: a YAML editor with the API's problems at their lines. */
export function ComposeField({ value, onChange, error, sent, missing }: ComposeFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const editor = useRef<YamlEditorHandle>(null);
  const issues = issuesFromFieldErrors(error?.fieldErrors ?? []);
  const shown = sent === value ? issues : [];
  const fileErrors = error?.fieldMessages('body.compose') ?? [];
  const messages = [...fileErrors, ...(missing ? [t('apps.create.composeMissing')] : [])];
  const describedBy = [`${id}-hint`, shown.length > 0 && `${id}-issues`, messages.length > 0 && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <span id={`${id}-label`} className="field-label">
        {t('apps.create.compose')}
      </span>
      <YamlEditor
        ref={editor}
        value={value}
        onChange={onChange}
        issues={issues}
        issuesFor={sent}
        labelledBy={`${id}-label`}
        describedBy={describedBy}
        invalid={shown.length > 0 || messages.length > 0}
        testId="compose-editor"
      />
      <p id={`${id}-hint`} className="field-hint">
        {t('apps.create.composeHint')}
      </p>
      {messages.length > 0 && (
        <p id={`${id}-error`} className="field-error" data-testid="field-error">
          {messages.join(' ')}
        </p>
      )}
      <StackIssueList id={`${id}-issues`} issues={shown} onJump={(i) => editor.current?.focusAt(i.line, i.column)} />
    </div>
  );
}
