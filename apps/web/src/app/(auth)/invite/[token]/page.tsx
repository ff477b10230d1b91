import { InviteAcceptView } from '@/features/invitations/invite-accept-view';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <InviteAcceptView token={decodeURIComponent(token)} />;
}
