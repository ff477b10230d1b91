import { LoginForm } from '@/features/auth/login-form';
import { safeNext } from '@/features/auth/safe-next';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  return <LoginForm next={safeNext(next)} />;
}
