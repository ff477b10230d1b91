import { DeploymentView } from '@/features/apps/deployment-view';

export default async function DeploymentPage({ params }: { params: Promise<{ deploymentId: string }> }) {
  const { deploymentId } = await params;
  return <DeploymentView key={deploymentId} deploymentId={decodeURIComponent(deploymentId)} />;
}
