'use client';

import { type RouteOutput, stackRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useEffect, useId, useReducer, useRef, useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { ErrorState, Loading } from '@/components/states';
import { useApp } from '@/features/apps/app-provider';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { ApiError, isAbort } from '@/lib/api/problem';
import { useAction } from '@/lib/hooks/use-action';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { DependencyGraphView } from './dependency-graph';
import { type DependencyGraph, graphOfForm } from './graph-layout';
import { initialDrafts, isDirty, needsRead, type StackViewMode, saveSteps, stackDraftsReducer, yamlDirty } from './stack-drafts';
import { asStackForm, formProblems } from './stack-form';
import { StackFormEditor } from './stack-form-editor';
import { StackIssueList } from './stack-issue-list';
import { issuesFromFieldErrors, type StackIssue } from './stack-issues';
import { YamlEditor, type YamlEditorHandle } from './yaml-editor';

type StackView = RouteOutput<typeof stackRoutes.get>;

/** How long typing pauses before the YAML is checked. */
const CHECK_DELAY_MS = 400;

/** What the API last said about one text of the YAML draft. */
interface Check {
  text: string;
  issues: StackIssue[];
  graph: Pick<DependencyGraph, 'layers' | 'edges'> | null;
}

function checkOfView(view: StackView): Check {
  return { text: view.yaml, issues: view.issues, graph: view.graph };
}

/** The Stack tab of a compose app: loads the stack, then edits it. */
export function StackEditorView() {
  const { params } = useApp();
  const stack = useResource((signal) => api(stackRoutes.get, { params }, { signal }), [params]);
  if (stack.error && !stack.data) return <ErrorState error={stack.error} onRetry={stack.reload} />;
  if (!stack.data) return <Loading />;
  return <StackEditor initial={stack.data} />;
}

/**
 * The stack as YAML (checked while typing, problems at their lines) or as a form, switchable without losing
 * edits (see stack-drafts.ts), saved in one go, with its dependency graph.
 */
function StackEditor({ initial }: { initial: StackView }) {
  const { t } = useI18n();
  const { denial } = useTenant();
  const { params, basePath } = useApp();
  const blocked = denial('apps.write');
  const labelId = useId();
  const issuesId = useId();
  const editor = useRef<YamlEditorHandle>(null);
  const [drafts, dispatch] = useReducer(stackDraftsReducer, undefined, () =>
    initialDrafts(initial.yaml, asStackForm(initial.form)),
  );
  const [check, setCheck] = useState<Check>(() => checkOfView(initial));
  /** A check that failed (not with the file's problems): the text, and why. */
  const [checkError, setCheckError] = useState<{ text: string; error: ApiError }>();
  const [switchProblem, setSwitchProblem] = useState<'unreadable' | 'fixFirst'>();
  const [savedAt, setSavedAt] = useState<string>();

  const validate = (yaml: string, signal?: AbortSignal) =>
    api(stackRoutes.validate, { params, body: { yaml } }, signal ? { signal } : {});

  // Check the YAML draft once typing pauses; a newer draft aborts the older check.
  const checking =
    drafts.view === 'yaml' &&
    !drafts.formEdited &&
    drafts.yaml.trim() !== '' &&
    drafts.yaml !== check.text &&
    drafts.yaml !== checkError?.text;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `validate` reads `params`, the same for the page's life
  useEffect(() => {
    if (!checking) return;
    const controller = new AbortController();
    const text = drafts.yaml;
    const timer = setTimeout(() => {
      validate(text, controller.signal).then(
        (result) => {
          setCheck({ text, issues: [...result.errors, ...result.warnings], graph: result.graph });
        },
        (cause: unknown) => {
          if (controller.signal.aborted || isAbort(cause)) return;
          const failure = ApiError.from(cause);
          const located = issuesFromFieldErrors(failure.fieldErrors);
          if (located.length > 0) setCheck({ text, issues: located, graph: null });
          else setCheckError({ text, error: failure });
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [checking, drafts.yaml]);

  const dirty = isDirty(drafts);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const toForm = useAction(async () => {
    const text = drafts.yaml;
    const result = await validate(text);
    setCheck({ text, issues: [...result.errors, ...result.warnings], graph: result.graph });
    const form = asStackForm(result.form);
    if (!form) return setSwitchProblem('unreadable');
    if (yamlDirty(drafts) && !result.ok) return setSwitchProblem('fixFirst');
    dispatch({ type: 'formRead', yaml: text, form });
  });

  async function show(view: StackViewMode) {
    setSwitchProblem(undefined);
    if (view === 'form' && needsRead(drafts)) await toForm.run();
    else dispatch({ type: 'show', view });
  }

  const save = useAction(async () => {
    let latest: StackView | undefined;
    for (const body of saveSteps(drafts)) {
      try {
        latest = await api(stackRoutes.save, { params, body });
        if ('yaml' in body) dispatch({ type: 'yamlSaved', yaml: body.yaml });
      } catch (cause) {
        // The YAML draft refused: its problems go to their lines.
        if ('yaml' in body && cause instanceof ApiError) {
          const located = issuesFromFieldErrors(cause.fieldErrors);
          if (located.length > 0) setCheck({ text: body.yaml, issues: located, graph: null });
        }
        throw cause;
      }
    }
    return latest;
  });

  async function onSave() {
    setSavedAt(undefined);
    const result = await save.run();
    if (!result.ok || !result.value) return;
    const view = result.value;
    dispatch({ type: 'loaded', yaml: view.yaml, form: asStackForm(view.form) });
    setCheck(checkOfView(view));
    setSavedAt(view.updatedAt);
  }

  const problems = drafts.form ? formProblems(drafts.form) : [];
  const inForm = drafts.view === 'form' && drafts.form !== null;
  const shownIssues = check.text === drafts.yaml ? check.issues : [];
  const errors = shownIssues.filter((i) => i.severity === 'error').length;
  const graph = drafts.formEdited && drafts.form ? graphOfForm(drafts.form) : check.graph;
  const locked = drafts.formEdited || !!blocked;

  return (
    <>
      <section className="card" aria-labelledby="stack-title" data-testid="stack-editor">
        <div className="card-header card-header-row">
          <div>
            <h2 id="stack-title">{t('stacks.title')}</h2>
            <p className="muted">{t('stacks.subtitle')}</p>
          </div>
          <div className="toolbar-group">
            <fieldset className="segmented" aria-label={t('stacks.viewAs')}>
              {(['yaml', 'form'] as const).map((view) => (
                <button
                  key={view}
                  type="button"
                  className={drafts.view === view ? 'segment active' : 'segment'}
                  aria-pressed={drafts.view === view}
                  disabled={toForm.pending}
                  onClick={() => void show(view)}
                >
                  {t(`stacks.view.${view}`)}
                </button>
              ))}
            </fieldset>
            <button
              type="button"
              className="button button-secondary"
              disabled={!dirty || save.pending}
              onClick={() => {
                setSwitchProblem(undefined);
                save.reset();
                dispatch({ type: 'reverted' });
              }}
            >
              {t('stacks.revert')}
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={!!blocked || !dirty || save.pending || problems.length > 0}
              aria-busy={save.pending}
              title={blocked ?? undefined}
              onClick={() => void onSave()}
            >
              {save.pending ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </div>

        {switchProblem && (
          <p className="alert alert-warning" role="alert">
            {t(`stacks.switch.${switchProblem}`)}
          </p>
        )}
        <ProblemAlert error={toForm.error} />
        <ProblemAlert error={save.error} shownFields={inForm ? [] : ['yaml']} />
        {savedAt && !dirty && (
          <p className="alert alert-success" role="status" data-testid="stack-saved">
            {t('stacks.saved')} <Link href={`${basePath}/environments`}>{t('stacks.savedDeploy')}</Link>
          </p>
        )}

        {inForm && drafts.form ? (
          <>
            {problems.length > 0 && (
              <p className="field-error" role="status">
                {t('stacks.form.problems', { count: problems.length })}
              </p>
            )}
            <StackFormEditor
              form={drafts.form}
              problems={problems}
              disabled={!!blocked}
              onChange={(form) => dispatch({ type: 'formEdited', form })}
            />
          </>
        ) : (
          <div className="field">
            <div className="editor-head">
              <span id={labelId} className="field-label">
                {t('stacks.yamlLabel')}
              </span>
              <span className="muted editor-state" role="status" data-testid="check-state">
                {drafts.yaml.trim() === ''
                  ? t('stacks.emptyFile')
                  : checking
                    ? t('stacks.checking')
                    : check.text !== drafts.yaml
                      ? t('stacks.notChecked')
                      : errors > 0
                        ? t('stacks.errorCount', { count: errors })
                        : shownIssues.length > 0
                          ? t('stacks.warningCount', { count: shownIssues.length })
                          : t('stacks.valid')}
              </span>
            </div>
            {drafts.formEdited && (
              <div className="alert alert-warning" data-testid="form-pending">
                <p>{t('stacks.formPending')}</p>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => dispatch({ type: 'formDiscarded' })}
                >
                  {t('stacks.discardForm')}
                </button>
              </div>
            )}
            <YamlEditor
              ref={editor}
              value={drafts.yaml}
              onChange={(yaml) => dispatch({ type: 'yamlEdited', yaml })}
              issues={shownIssues}
              issuesFor={check.text}
              readOnly={locked}
              labelledBy={labelId}
              describedBy={shownIssues.length > 0 ? issuesId : undefined}
              invalid={errors > 0}
              testId="yaml-editor"
            />
            {checkError?.text === drafts.yaml && (
              <p className="stale-notice" role="status">
                {t('stacks.checkFailed', {
                  reason:
                    checkError.error.status === 0
                      ? t('error.network')
                      : (checkError.error.problem.detail ?? checkError.error.problem.title),
                })}
              </p>
            )}
            <StackIssueList id={issuesId} issues={shownIssues} onJump={(i) => editor.current?.focusAt(i.line, i.column)} />
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="graph-title" data-testid="stack-graph">
        <div className="card-header">
          <h2 id="graph-title">{t('stacks.graph.heading')}</h2>
          <p className="muted">{t('stacks.graph.subtitle')}</p>
        </div>
        {graph ? <DependencyGraphView graph={graph} /> : <p className="muted">{t('stacks.graph.unavailable')}</p>}
      </section>
    </>
  );
}
