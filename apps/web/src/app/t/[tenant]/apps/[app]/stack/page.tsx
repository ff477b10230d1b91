import { StackEditorView } from '@/features/stacks/stack-editor-view';

export default function AppStackPage() {
  return <StackEditorView />;
}
