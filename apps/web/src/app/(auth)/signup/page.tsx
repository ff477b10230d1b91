import { safeNext } from '@/features/auth/safe-next';
import { SignupForm } from '@/features/auth/signup-form';

export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  return <SignupForm next={safeNext(next)} />;
}
