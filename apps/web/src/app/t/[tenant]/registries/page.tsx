import { RegistriesView } from '@/features/registries/registries-view';

export default function RegistriesPage() {
  return <RegistriesView />;
}
