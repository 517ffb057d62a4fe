import type { PageProps } from '../../lib/page';
import { Page } from '../../components/ui';

export default function ArchiveDisposal(_props: PageProps) {
  return <Page title="ArchiveDisposal">待实现</Page>;
}
