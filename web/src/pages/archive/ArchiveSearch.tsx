import type { PageProps } from '../../lib/page';
import { Page } from '../../components/ui';

export default function ArchiveSearch(_props: PageProps) {
  return <Page title="ArchiveSearch">待实现</Page>;
}
