import { DeploymentsView } from '@/features/apps/deployments-view';

export default function AppDeploymentsPage() {
  return <DeploymentsView />;
}
