import { EnvironmentView } from '@/features/stacks/environment-view';

export default async function AppEnvironmentPage({ params }: { params: Promise<{ environment: string }> }) {
  const { environment } = await params;
  const name = decodeURIComponent(environment);
  return <EnvironmentView key={name} name={name} />;
}
