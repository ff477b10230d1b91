import { invitationRoutes, type Role } from '@wharf/contracts';
import { type Account, signup, type TestApp, uniqueEmail } from './app.js';

/** Factory: `owner` invites a new person with `role`; they sign up with the invited email and accept. */
export async function addMember(
  t: TestApp,
  owner: Account,
  tenantId: string,
  role: Role,
  name = `${role} member`,
): Promise<Account> {
  const email = uniqueEmail(role);
  const inv = await t.call(invitationRoutes.create, {
    params: { tenant: tenantId },
    token: owner.accessToken,
    body: { email, role },
  });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const member = await signup(t, name, email);
  const accepted = await t.call(invitationRoutes.accept, { token: member.accessToken, body: { token: inv.body.token } });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return member;
}
