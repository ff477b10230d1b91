'use client';

import { type Member, memberRoutes, type Role } from '@wharf/contracts';
import { useId, useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ProblemAlert } from '@/components/problem-alert';
import { useTenant } from '@/features/tenant/tenant-provider';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { assignableRoles, canRemove } from './role-options';

export interface MemberRowProps {
  member: Member;
  isSelf: boolean;
  onChanged: (member: Member) => void;
  onRemoved: (member: Member) => void;
}

export function MemberRow({ member, isSelf, onChanged, onRemoved }: MemberRowProps) {
  const { t, formatDate } = useI18n();
  const { tenant, role, denial } = useTenant();
  const selectId = useId();
  const [confirming, setConfirming] = useState(false);
  const params = { tenant: tenant.slug, userId: member.userId };
  const update = useAction((to: Role) => api(memberRoutes.update, { params, body: { role: to } }));
  const remove = useAction(() => api(memberRoutes.remove, { params }));

  const options = assignableRoles(role, member.role);
  const updateBlocked = denial('members.update') ?? (options.length > 1 ? null : t('members.ownerOnly'));
  const removeBlocked = denial('members.remove') ?? (canRemove(role, member.role) ? null : t('members.ownerOnly'));

  async function changeRole(to: Role) {
    const result = await update.run(to);
    if (result.ok) onChanged(result.value);
  }

  async function confirmRemove() {
    if (!(await remove.run()).ok) return;
    setConfirming(false);
    onRemoved(member);
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
          <label htmlFor={selectId} className="visually-hidden">
            {t('members.roleOf', { name: member.name })}
          </label>
          <select
            id={selectId}
            className="select select-compact"
            value={member.role}
            data-testid="member-role"
            disabled={!!updateBlocked || update.pending}
            title={updateBlocked ?? undefined}
            onChange={(event) => void changeRole(event.target.value as Role)}
          >
            {(updateBlocked ? [member.role] : options).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </td>
        <td className="hide-sm">{formatDate(member.joinedAt)}</td>
        <td className="cell-actions">
          <button
            type="button"
            className="button button-danger-ghost"
            disabled={!!removeBlocked}
            title={removeBlocked ?? undefined}
            onClick={() => setConfirming(true)}
          >
            {isSelf ? t('members.leave') : t('members.remove')}
          </button>
          <ConfirmDialog
            open={confirming}
            title={isSelf ? t('members.leave.title') : t('members.remove.title')}
            message={
              isSelf ? t('members.leave.message', { team: tenant.name }) : t('members.remove.message', { who, team: tenant.name })
            }
            confirmLabel={isSelf ? t('members.leave') : t('members.remove.confirm', { name: member.name })}
            pending={remove.pending}
            error={remove.error}
            onConfirm={() => void confirmRemove()}
            onCancel={() => {
              setConfirming(false);
              remove.reset();
            }}
          />
        </td>
      </tr>
      {update.error && (
        <tr className="row-error">
          <td colSpan={4}>
            <ProblemAlert error={update.error} />
          </td>
        </tr>
      )}
    </>
  );
}
