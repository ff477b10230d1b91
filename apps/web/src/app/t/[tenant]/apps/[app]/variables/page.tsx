import { VariablesView } from '@/features/apps/variables-view';

export default function AppVariablesPage() {
  return <VariablesView />;
}
