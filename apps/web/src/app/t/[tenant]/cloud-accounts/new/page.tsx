import { ConnectCloudView } from '@/features/clouds/connect-cloud-view';

export default function ConnectCloudPage() {
  return <ConnectCloudView />;
}
