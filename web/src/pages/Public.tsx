import { Page } from '../components/ui';

export default function Public() {
  return <Page title="Public">待实现</Page>;
}
