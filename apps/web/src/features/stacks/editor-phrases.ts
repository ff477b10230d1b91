import type { MessageKey, MessageValues } from '@/lib/i18n/locales';

/**
 * The words CodeMirror shows or announces itself (search panel, fold markers, lint panel, screen-reader
 * announcements), as its `EditorState.phrases` facet names them, with the dictionary key of each.
 */
const EDITOR_PHRASES: Readonly<Record<string, MessageKey>> = {
  'Control character': 'editor.controlCharacter',
  close: 'editor.close',
  'Selection deleted': 'editor.selectionDeleted',
  'Go to line': 'editor.goToLine',
  go: 'editor.go',
  'current match': 'editor.currentMatch',
  'on line': 'editor.onLine',
  'replaced $ matches': 'editor.replacedMatches',
  'replaced match on line $': 'editor.replacedMatchOnLine',
  Find: 'editor.find',
  Replace: 'editor.replace',
  next: 'editor.next',
  previous: 'editor.previous',
  all: 'editor.all',
  'match case': 'editor.matchCase',
  regexp: 'editor.regexp',
  'by word': 'editor.byWord',
  replace: 'editor.replaceOne',
  'replace all': 'editor.replaceAll',
  Diagnostics: 'editor.diagnostics',
  'No diagnostics': 'editor.noDiagnostics',
  'folded code': 'editor.foldedCode',
  to: 'editor.to',
  unfold: 'editor.unfold',
  'Folded lines': 'editor.foldedLines',
  'Unfolded lines': 'editor.unfoldedLines',
  'Fold line': 'editor.foldLine',
  'Unfold line': 'editor.unfoldLine',
  Completions: 'editor.completions',
};

/** CodeMirror's phrases in the dashboard's language (`$` stays: CodeMirror fills it). */
export function editorPhrases(t: (key: MessageKey, values?: MessageValues) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(EDITOR_PHRASES).map(([phrase, key]) => [phrase, t(key)]));
}
