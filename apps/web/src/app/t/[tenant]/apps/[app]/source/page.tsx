import { SourceView } from '@/features/builds/source-view';

export default function AppSourcePage() {
  return <SourceView />;
}
