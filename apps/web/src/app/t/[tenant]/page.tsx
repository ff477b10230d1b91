import { OverviewView } from '@/features/tenant/overview-view';

export default function TenantOverviewPage() {
  return <OverviewView />;
}
