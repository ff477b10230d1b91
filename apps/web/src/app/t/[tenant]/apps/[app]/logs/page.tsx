import { LogsView } from '@/features/apps/logs-view';

export default function AppLogsPage() {
  return <LogsView />;
}
