import { DeploymentsView } from '@/features/apps/deployments-view';
import { ServiceStats } from '@/features/apps/service-stats';

export default function AppDeploymentsPage() {
  return (
    <>
      <ServiceStats />
      <DeploymentsView />
    </>
  );
}
