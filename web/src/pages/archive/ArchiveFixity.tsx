import type { PageProps } from '../../lib/page';
import { Page } from '../../components/ui';

export default function ArchiveFixity(_props: PageProps) {
  return <Page title="ArchiveFixity">待实现</Page>;
}
