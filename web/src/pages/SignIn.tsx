/**
 * Sign-in. Locally: pick one of the built-in issuer's demo users. In AWS: Cognito's hosted UI.
 */
import { useEffect, useState } from 'react';
import { clearExpiredNote, expiredNote, landingAfterSignIn, listDemoUsers, signInAsDemoUser, startCognitoSignIn, type DemoUser } from '../lib/auth';
import { config } from '../lib/config';
import { navigate } from '../lib/router';
import { useLabels } from '../lib/vocab';
import { Button, ErrorBanner, Loading, Notice } from '../components/ui';
import { homeOf } from '../nav';

export default function SignIn({ returnTo }: { returnTo?: string }) {
  const auth = config().auth;
  const L = useLabels();
  const [users, setUsers] = useState<DemoUser[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>();
  const [expired] = useState(() => expiredNote() !== undefined);
  const expiredNotice = expired ? <Notice kind="warn">登录已过期，请重新登录。同一用户重新登录后回到刚才的页面。</Notice> : null;

  useEffect(() => {
    if (auth.kind === 'local') listDemoUsers().then(setUsers, setError);
  }, [auth.kind]);

  const pick = async (username: string): Promise<void> => {
    setBusy(username);
    setError(undefined);
    try {
      const s = await signInAsDemoUser(username);
      const landing = landingAfterSignIn(s.user, returnTo, homeOf(s.user.roles));
      clearExpiredNote();
      navigate(landing, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  if (auth.kind === 'cognito') {
    return (
      <main className="page signin">
        <h1>登录</h1>
        <p>请使用本机关统一身份认证账号登录。</p>
        {expiredNotice}
        <ErrorBanner error={error} />
        <Button variant="primary" onClick={() => startCognitoSignIn(returnTo ?? '/').catch(setError)}>
          登录
        </Button>
      </main>
    );
  }
  return (
    <main className="page signin">
      <h1>登录（本地演示）</h1>
      <p>本地环境使用内置签发的演示账号。请选择一个用户：</p>
      {expiredNotice}
      <ErrorBanner error={error} />
      {!users ? (
        <Loading />
      ) : (
        <ul className="user-picker" aria-label="演示用户">
          {users.map((u) => (
            <li key={u.username}>
              <button
                type="button"
                className="user-card"
                onClick={() => void pick(u.username)}
                disabled={busy !== undefined}
                aria-busy={busy === u.username || undefined}
                data-username={u.username}
              >
                <strong>{u.name}</strong>
                <span>{u.deptName ?? u.roles.map((r) => L.role(r)).join('、')}</span>
                <code>{u.username}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
