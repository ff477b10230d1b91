import { CreateAppView } from '@/features/apps/create-app-view';

export default function CreateAppPage() {
  return <CreateAppView />;
}
