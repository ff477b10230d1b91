import { AppsView } from '@/features/apps/apps-view';

export default function AppsPage() {
  return <AppsView />;
}
