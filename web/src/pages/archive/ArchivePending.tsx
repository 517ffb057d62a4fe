import type { PageProps } from '../../lib/page';
import { Page } from '../../components/ui';

export default function ArchivePending(_props: PageProps) {
  return <Page title="ArchivePending">待实现</Page>;
}
