import { GitConnectionsView } from '@/features/builds/git-connections-view';

export default function GitConnectionsPage() {
  return <GitConnectionsView />;
}
