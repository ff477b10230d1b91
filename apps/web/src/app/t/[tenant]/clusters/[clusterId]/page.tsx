import { ClusterView } from '@/features/clusters/cluster-view';

export default async function ClusterPage({ params }: { params: Promise<{ clusterId: string }> }) {
  const { clusterId } = await params;
  return <ClusterView clusterId={decodeURIComponent(clusterId)} />;
}
