import type { PageProps } from '../lib/page';
import { Page } from '../components/ui';

export default function Dashboard(_props: PageProps) {
  return <Page title="Dashboard">待实现</Page>;
}
