import type { PageProps } from '../lib/page';
import { Page } from '../components/ui';

export default function CasePage(_props: PageProps) {
  return <Page title="CasePage">待实现</Page>;
}
