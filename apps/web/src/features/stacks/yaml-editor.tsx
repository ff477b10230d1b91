'use client';

import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorSelection, EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { editorPhrases } from './editor-phrases';
import { issueMarks, issueRange, type StackIssue } from './stack-issues';

export interface YamlEditorHandle {
  /** Puts the cursor at a line and column (1-based) and focuses the editor. */
  focusAt: (line: number, column: number) => void;
}

export interface YamlEditorProps {
  value: string;
  onChange?: (value: string) => void;
  /** Problems to mark, found in the text `issuesFor`: applied while the editor still holds that text. */
  issues: readonly StackIssue[];
  issuesFor: string | undefined;
  readOnly?: boolean;
  /** The id of the element naming the editor (its visible label). */
  labelledBy: string;
  describedBy?: string | undefined;
  invalid?: boolean;
  testId?: string;
  ref?: Ref<YamlEditorHandle>;
}

function contentAttributes(props: Pick<YamlEditorProps, 'labelledBy' | 'describedBy' | 'invalid'>): Extension {
  const attributes: Record<string, string> = { 'aria-labelledby': props.labelledBy };
  if (props.describedBy) attributes['aria-describedby'] = props.describedBy;
  if (props.invalid) attributes['aria-invalid'] = 'true';
  return EditorView.contentAttributes.of(attributes);
}

function editable(readOnly: boolean): Extension {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}

const theme = EditorView.theme({
  '&': { fontSize: '0.85rem', backgroundColor: 'var(--surface)' },
  '.cm-content': { fontFamily: 'var(--mono)', padding: '0.5rem 0' },
  '.cm-gutters': { fontFamily: 'var(--mono)', backgroundColor: 'var(--surface-muted)', borderRight: '1px solid var(--border)' },
  '.cm-scroller': { minHeight: '16rem', maxHeight: 'min(70vh, 40rem)', overflow: 'auto' },
  '&.cm-focused': { outline: 'none' },
});

/**
 * A YAML editor (CodeMirror 6) with problems marked at their lines: underlined in the text, a marker in the
 * gutter, the message on hover. The caller owns the text (`value` / `onChange`).
 */
export function YamlEditor(props: YamlEditorProps) {
  const { value, onChange, issues, issuesFor, readOnly = false, labelledBy, describedBy, invalid = false, testId, ref } = props;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const editableSlot = useRef(new Compartment());
  const attributesSlot = useRef(new Compartment());
  const phrasesSlot = useRef(new Compartment());
  const { t } = useI18n();
  const phrases = editorPhrases(t);
  const initial = useRef({ value, readOnly, labelledBy, describedBy, invalid, phrases });

  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    const first = initial.current;
    const editor = new EditorView({
      parent,
      state: EditorState.create({
        doc: first.value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          theme,
          EditorView.lineWrapping,
          editableSlot.current.of(editable(first.readOnly)),
          attributesSlot.current.of(contentAttributes(first)),
          phrasesSlot.current.of(EditorState.phrases.of(first.phrases)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = undefined;
    };
  }, []);

  // The text set from outside (loaded, saved, discarded): replaces the editor's.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: editableSlot.current.reconfigure(editable(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({
      effects: attributesSlot.current.reconfigure(contentAttributes({ labelledBy, describedBy, invalid })),
    });
  }, [labelledBy, describedBy, invalid]);

  // CodeMirror's own words follow the dashboard's language
  useEffect(() => {
    view.current?.dispatch({ effects: phrasesSlot.current.reconfigure(EditorState.phrases.of(editorPhrases(t))) });
  }, [t]);

  // Marks for the text they were found in; while newer text waits for its check, CodeMirror maps the old ones.
  useEffect(() => {
    const editor = view.current;
    if (!editor || issuesFor === undefined) return;
    const text = editor.state.doc.toString();
    if (text !== issuesFor) return;
    editor.dispatch(setDiagnostics(editor.state, issueMarks(text, issues)));
  }, [issues, issuesFor]);

  useImperativeHandle(
    ref,
    () => ({
      focusAt: (line, column) => {
        const editor = view.current;
        if (!editor) return;
        const { from } = issueRange(editor.state.doc.toString(), line, column);
        editor.dispatch({ selection: EditorSelection.cursor(from), scrollIntoView: true });
        editor.focus();
      },
    }),
    [],
  );

  return <div ref={host} className={readOnly ? 'yaml-editor yaml-editor-readonly' : 'yaml-editor'} data-testid={testId} />;
}
