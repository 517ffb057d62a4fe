import type { PageProps } from '../../lib/page';
import { Page } from '../../components/ui';

export default function ArchivePackage(_props: PageProps) {
  return <Page title="ArchivePackage">待实现</Page>;
}
