import { invitationRoutes, type Role } from '@wharf/contracts';
import { type Account, signup, type TestApp, uniqueEmail } from './app.js';

/** `owner` invites `member`'s email with `role` and `member` accepts, through the API. */
export async function join(t: TestApp, owner: Account, tenantId: string, member: Account, role: Role): Promise<void> {
  const inv = await t.call(invitationRoutes.create, {
    params: { tenant: tenantId },
    token: owner.accessToken,
    body: { email: member.email, role },
  });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const accepted = await t.call(invitationRoutes.accept, { token: member.accessToken, body: { token: inv.body.token } });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** Factory: a new person, signed up and joined to the tenant with `role`. */
export async function addMember(
  t: TestApp,
  owner: Account,
  tenantId: string,
  role: Role,
  name = `${role} member`,
): Promise<Account> {
  const member = await signup(t, name, uniqueEmail(role));
  await join(t, owner, tenantId, member, role);
  return member;
}
