import { HostView } from '@/features/clusters/host-view';

export default async function HostPage({ params }: { params: Promise<{ clusterId: string; hostId: string }> }) {
  const { clusterId, hostId } = await params;
  return <HostView clusterId={decodeURIComponent(clusterId)} hostId={decodeURIComponent(hostId)} />;
}
