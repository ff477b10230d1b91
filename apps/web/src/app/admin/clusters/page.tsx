import { ClustersHealthView } from '@/features/admin/clusters-health-view';

export default function AdminClustersPage() {
  return <ClustersHealthView />;
}
