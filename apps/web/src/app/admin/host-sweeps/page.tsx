import { HostSweepsView } from '@/features/admin/host-sweeps-view';

export default function AdminHostSweepsPage() {
  return <HostSweepsView />;
}
