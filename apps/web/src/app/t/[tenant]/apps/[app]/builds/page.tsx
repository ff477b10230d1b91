import { BuildsView } from '@/features/builds/builds-view';

export default function AppBuildsPage() {
  return <BuildsView />;
}
