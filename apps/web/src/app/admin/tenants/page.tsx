import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { AdminTenantsView } from '@/features/admin/admin-tenants-view';

export default function AdminTenantsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <AdminTenantsView />
    </Suspense>
  );
}
