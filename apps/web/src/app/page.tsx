import { HomeRedirect } from '@/features/auth/home-redirect';

export default function HomePage() {
  return <HomeRedirect />;
}
