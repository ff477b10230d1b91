import { ClustersView } from '@/features/clusters/clusters-view';

export default function ClustersPage() {
  return <ClustersView />;
}
