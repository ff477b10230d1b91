import { CloudAccountsView } from '@/features/clouds/cloud-accounts-view';

export default function CloudAccountsPage() {
  return <CloudAccountsView />;
}
