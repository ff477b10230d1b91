import { AuditView } from '@/features/audit/audit-view';

export default function AuditPage() {
  return <AuditView />;
}
