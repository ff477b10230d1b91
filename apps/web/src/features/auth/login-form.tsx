'use client';

import { authRoutes } from '@wharf/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect } from 'react';
import { Field } from '@/components/field';
import { ProblemAlert } from '@/components/problem-alert';
import { api } from '@/lib/api/client';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { withNext } from './safe-next';
import { useSession } from './session-provider';

export function LoginForm({ next }: { next: string | undefined }) {
  const { t } = useI18n();
  const router = useRouter();
  const { state, signIn } = useSession();
  const login = useAction((email: string, password: string) => api(authRoutes.login, { body: { email, password } }));

  useEffect(() => {
    if (state.status === 'authenticated') router.replace(next ?? '/');
  }, [state.status, next, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await login.run(String(form.get('email')), String(form.get('password')));
    if (result.ok) await signIn(result.value);
  }

  const fields = ['body.email', 'body.password'];
  return (
    <form className="auth-card" onSubmit={onSubmit} aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.login.title')}</h1>
      <p className="muted">{next?.startsWith('/invite/') ? t('auth.login.forInvite') : t('auth.login.subtitle')}</p>
      <ProblemAlert error={login.error} shownFields={fields} />
      <Field label={t('auth.email')} errors={login.error?.fieldMessages('body.email')}>
        {(control) => <input {...control} className="input" name="email" type="email" autoComplete="email" required />}
      </Field>
      <Field label={t('auth.password')} errors={login.error?.fieldMessages('body.password')}>
        {(control) => (
          <input {...control} className="input" name="password" type="password" autoComplete="current-password" required />
        )}
      </Field>
      <button type="submit" className="button button-primary button-block" disabled={login.pending} aria-busy={login.pending}>
        {login.pending ? t('auth.login.pending') : t('auth.login.submit')}
      </button>
      <p className="auth-switch">
        {t('auth.login.noAccount')} <Link href={withNext('/signup', next)}>{t('auth.signup.link')}</Link>
      </p>
    </form>
  );
}
