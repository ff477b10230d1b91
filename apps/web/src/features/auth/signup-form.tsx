'use client';

import { authRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useRef } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { withNext } from './safe-next';
import { useSession } from './session-provider';

export const MIN_PASSWORD_LENGTH = 10;

export function SignupForm({ next }: { next: string | undefined }) {
  const { t } = useI18n();
  const router = useRouter();
  const { state, signIn } = useSession();
  const destination = useRef<string | undefined>(undefined);
  const signup = useAction((email: string, password: string, name: string) =>
    api(authRoutes.signup, { body: { email, password, name } }),
  );

  useEffect(() => {
    if (state.status === 'authenticated') router.replace(destination.current ?? next ?? '/');
  }, [state.status, next, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await signup.run(String(form.get('email')), String(form.get('password')), String(form.get('name')));
    if (!result.ok) return;
    destination.current = next ?? `/t/${result.value.tenant.slug}`;
    await signIn(result.value);
  }

  const fields = ['body.email', 'body.password', 'body.name'];
  return (
    <form className="auth-card" onSubmit={onSubmit} aria-labelledby="signup-title">
      <h1 id="signup-title">{t('auth.signup.title')}</h1>
      <p className="muted">{next?.startsWith('/invite/') ? t('auth.signup.forInvite') : t('auth.signup.subtitle')}</p>
      <ProblemAlert error={signup.error} shownFields={fields} />
      <Field label={t('auth.name')} errors={signup.error?.fieldMessages('body.name')}>
        {(control) => <input {...control} className="input" name="name" autoComplete="name" required maxLength={100} />}
      </Field>
      <Field label={t('auth.email')} errors={signup.error?.fieldMessages('body.email')}>
        {(control) => <input {...control} className="input" name="email" type="email" autoComplete="email" required />}
      </Field>
      <Field
        label={t('auth.password')}
        hint={t('auth.password.hint', { min: MIN_PASSWORD_LENGTH })}
        errors={signup.error?.fieldMessages('body.password')}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
          />
        )}
      </Field>
      <button type="submit" className="button button-primary button-block" disabled={signup.pending} aria-busy={signup.pending}>
        {signup.pending ? t('auth.signup.pending') : t('auth.signup.submit')}
      </button>
      <p className="auth-switch">
        {t('auth.signup.haveAccount')} <Link href={withNext('/login', next)}>{t('auth.login.link')}</Link>
      </p>
    </form>
  );
}
