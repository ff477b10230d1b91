import { BuildView } from '@/features/builds/build-view';

export default async function BuildPage({ params }: { params: Promise<{ build: string }> }) {
  const { build } = await params;
  return <BuildView key={build} buildId={decodeURIComponent(build)} />;
}
