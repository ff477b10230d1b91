import { EnvironmentsView } from '@/features/stacks/environments-view';

export default function AppEnvironmentsPage() {
  return <EnvironmentsView />;
}
