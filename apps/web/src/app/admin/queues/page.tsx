import { QueuesView } from '@/features/admin/queues-view';

export default function AdminQueuesPage() {
  return <QueuesView />;
}
