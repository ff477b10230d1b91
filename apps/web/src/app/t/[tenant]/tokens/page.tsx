import { TokensView } from '@/features/tokens/tokens-view';

export default function TokensPage() {
  return <TokensView />;
}
