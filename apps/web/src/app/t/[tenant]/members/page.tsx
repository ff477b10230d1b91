import { MembersView } from '@/features/members/members-view';

export default function MembersPage() {
  return <MembersView />;
}
