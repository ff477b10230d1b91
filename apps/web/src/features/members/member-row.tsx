'use client';

import { type Member, memberRoutes, type Role } from '@wharf/contracts';
import { ConfirmDialog, useConfirmAction } from '@/components/confirm-dialog';
import { ACTIONS_HEADER, type ColumnHeader, DangerRowButton } from '@/components/data-table';
import { ProblemAlert } from '@/components/problem-alert';
import { RowSelect } from '@/components/row-select';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { assignableRoles, canRemove } from './role-options';

/** The headers of the cells a `MemberRow` renders. */
export const MEMBER_COLUMNS: readonly ColumnHeader[] = [
  { id: 'member', header: 'members.col.member' },
  { id: 'role', header: 'members.col.role' },
  { id: 'joined', header: 'members.col.joined', className: 'hide-sm' },
  ACTIONS_HEADER,
];

export interface MemberRowProps {
  member: Member;
  isSelf: boolean;
  onChanged: (member: Member) => void;
  onRemoved: (member: Member) => void;
}

export function MemberRow({ member, isSelf, onChanged, onRemoved }: MemberRowProps) {
  const { t, formatDate } = useI18n();
  const { tenant, role, denial } = useTenant();
  const params = { tenant: tenant.slug, userId: member.userId };
  const update = useAction((to: Role) => api(memberRoutes.update, { params, body: { role: to } }));
  const remove = useConfirmAction(() => api(memberRoutes.remove, { params }), onRemoved);

  const options = assignableRoles(role, member.role);
  const updateBlocked = denial('members.update') ?? (options.length > 1 ? null : t('members.ownerOnly'));
  const removeBlocked = denial('members.remove') ?? (canRemove(role, member.role) ? null : t('members.ownerOnly'));

  async function changeRole(to: Role) {
    const result = await update.run(to);
    if (result.ok) onChanged(result.value);
  }

  const who = `${member.name} (${member.email})`;
  return (
    <>
      <tr data-testid="member-row" data-email={member.email}>
        <td>
          <span className="cell-primary">
            {member.name}
            {isSelf && <span className="muted"> {t('members.you')}</span>}
          </span>
          <span className="cell-secondary">{member.email}</span>
        </td>
        <td>
          <RowSelect
            label={t('members.roleOf', { name: member.name })}
            value={member.role}
            options={updateBlocked ? [member.role] : options}
            optionLabel={(r) => t(`role.${r}`)}
            onChange={(to) => void changeRole(to)}
            disabled={!!updateBlocked || update.pending}
            title={updateBlocked ?? undefined}
            testId="member-role"
          />
        </td>
        <td className="hide-sm">{formatDate(member.joinedAt)}</td>
        <td className="cell-actions">
          <DangerRowButton blocked={removeBlocked} onClick={() => remove.ask(member)}>
            {isSelf ? t('members.leave') : t('members.remove')}
          </DangerRowButton>
          <ConfirmDialog
            {...remove.dialog}
            title={isSelf ? t('members.leave.title') : t('members.remove.title')}
            message={
              isSelf ? t('members.leave.message', { team: tenant.name }) : t('members.remove.message', { who, team: tenant.name })
            }
            confirmLabel={isSelf ? t('members.leave') : t('members.remove.confirm', { name: member.name })}
          />
        </td>
      </tr>
      {update.error && (
        <tr className="row-error">
          <td colSpan={MEMBER_COLUMNS.length}>
            <ProblemAlert error={update.error} />
          </td>
        </tr>
      )}
    </>
  );
}
