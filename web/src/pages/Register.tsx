import type { PageProps } from '../lib/page';
import { Page } from '../components/ui';

export default function Register(_props: PageProps) {
  return <Page title="Register">待实现</Page>;
}
