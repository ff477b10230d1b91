import { AppSettingsView } from '@/features/apps/app-settings-view';

export default function AppSettingsPage() {
  return <AppSettingsView />;
}
