import type { PageProps } from '../lib/page';
import { Page } from '../components/ui';

export default function Search(_props: PageProps) {
  return <Page title="Search">待实现</Page>;
}
