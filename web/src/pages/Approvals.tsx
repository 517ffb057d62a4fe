import type { PageProps } from '../lib/page';
import { Page } from '../components/ui';

export default function Approvals(_props: PageProps) {
  return <Page title="Approvals">待实现</Page>;
}
