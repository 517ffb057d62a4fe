import type { PageProps } from '../lib/page';
import { Page } from '../components/ui';

export default function Inbox(_props: PageProps) {
  return <Page title="Inbox">待实现</Page>;
}
