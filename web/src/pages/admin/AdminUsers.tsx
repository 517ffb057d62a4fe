/**
 * 用户管理 (#/admin/users, admin): the office's users (docs/admin.md). Create a user (display name,
 * login, role, department, phone; in AWS Cognito emails an invitation), change their display
 * name, role or department, disable or re-enable them. A change takes effect at the user's next
 * request; a disabled user's next request is refused. Each change is an event of 操作记录.
 */
import { useState } from 'react';
import type { UserView } from '@shared/app/directory';
import type { Department } from '@shared/domain/directory';
import { api } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { useLabels, useVocab } from '../../lib/vocab';
import { Button, Card, ErrorBanner, Loading, Notice, Page, Select, Table, TextInput } from '../../components/ui';

interface Draft {
  username: string;
  displayName: string;
  role: string;
  deptCode: string;
  phone: string;
  email: string;
}

const EMPTY: Draft = { username: '', displayName: '', role: '', deptCode: '', phone: '', email: '' };

export default function AdminUsers(_props: PageProps) {
  const users = useLoad((signal) => api.get<{ users: UserView[] }>('/admin/users', { signal }).then((r) => r.data.users), []);
  const departments = useLoad((signal) => api.get<{ departments: Department[] }>('/admin/departments', { signal }).then((r) => r.data.departments), []);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const active = (departments.data ?? []).filter((d) => !d.retired);
  const deptName = (code: string | undefined) => (code ? ((departments.data ?? []).find((d) => d.code === code)?.name ?? code) : '—');

  async function change(what: () => Promise<unknown>, message: string): Promise<boolean> {
    setError(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(message);
      users.reload();
      departments.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  }

  return (
    <Page title="用户管理">
      <p className="archive-help">每位用户一个角色；承办单位的用户属于一个部门。角色、部门的调整和停用在该用户下一次操作时生效。</p>
      <NewUser departments={active} onCreate={(d) => change(() => api.post('/admin/users', body(d)), `已创建用户：${d.displayName}（${d.username}）`)} />
      <ErrorBanner error={error} />
      {done ? <Notice kind="success">{done}</Notice> : null}
      <ErrorBanner error={users.error} />
      {users.loading && !users.data ? <Loading /> : null}
      {users.data ? (
        <Card title="用户">
          <Table head={['姓名', '登录名', '角色', '部门', '电话', '状态', '操作']}>
            {users.data.map((u) => (
              <UserRow
                key={`${u.username}-${u.rev}`}
                user={u}
                departments={active}
                deptName={deptName}
                onChange={(changes, message) => change(() => api.put(`/admin/users/${u.username}`, changes), message)}
                onEnabled={(enabled) =>
                  change(() => api.post(`/admin/users/${u.username}/${enabled ? 'enable' : 'disable'}`), `${enabled ? '已启用' : '已停用'}：${u.displayName}`)
                }
              />
            ))}
          </Table>
        </Card>
      ) : null}
    </Page>
  );
}

function body(d: Draft): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...d, deptCode: d.role === 'department' ? d.deptCode : '' })
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => [k, v.trim()]),
  );
}

function NewUser({ departments, onCreate }: { departments: Department[]; onCreate: (d: Draft) => Promise<boolean> }) {
  const vocab = useVocab();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  return (
    <Card title="创建用户">
      <div className="grid grid-3">
        <TextInput label="姓名" error={errors.displayName} value={draft.displayName} onChange={set('displayName')} />
        <TextInput
          label="登录名"
          hint="小写字母开头，3–32位小写字母、数字、_ . -"
          error={errors.username}
          value={draft.username}
          onChange={(e) => setDraft({ ...draft, username: e.target.value.toLowerCase() })}
        />
        <Select label="角色" error={errors.role} placeholder="请选择" value={draft.role} onChange={set('role')} options={vocab.roles} />
        {draft.role === 'department' ? (
          <Select
            label="部门"
            error={errors.deptCode}
            placeholder="请选择"
            value={draft.deptCode}
            onChange={set('deptCode')}
            options={departments.map((d) => ({ code: d.code, name: d.name }))}
          />
        ) : null}
        <TextInput label="电话" hint="手机号或带区号的固定电话" error={errors.phone} value={draft.phone} onChange={set('phone')} />
        <TextInput label="电子邮箱" hint="云端部署时，登录邀请发送到此邮箱" error={errors.email} value={draft.email} onChange={set('email')} />
      </div>
      <div className="form-actions">
        <Button
          variant="primary"
          busy={busy}
          disabled={draft.username === '' || draft.displayName === '' || draft.role === ''}
          onClick={() => {
            setBusy(true);
            setErrors({});
            void onCreate(draft)
              .then((ok) => {
                if (ok) setDraft(EMPTY);
              })
              .finally(() => setBusy(false));
          }}
        >
          创建用户
        </Button>
      </div>
    </Card>
  );
}

function UserRow(props: {
  user: UserView;
  departments: Department[];
  deptName: (code: string | undefined) => string;
  onChange: (changes: Record<string, unknown>, message: string) => Promise<boolean>;
  onEnabled: (enabled: boolean) => Promise<boolean>;
}) {
  const { user, departments, deptName, onChange, onEnabled } = props;
  const labels = useLabels();
  const vocab = useVocab();
  const [editing, setEditing] = useState(false);
  const [role, setRole] = useState<string>(user.role);
  const [deptCode, setDeptCode] = useState(user.deptCode ?? '');
  const [displayName, setDisplayName] = useState(user.displayName);
  if (editing) {
    return (
      <tr>
        <td>
          <TextInput label="姓名" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </td>
        <td data-login>{user.username}</td>
        <td>
          <Select label="角色" value={role} onChange={(e) => setRole(e.target.value)} options={vocab.roles} />
        </td>
        <td>
          {role === 'department' ? (
            <Select
              label="部门"
              placeholder="请选择"
              value={deptCode}
              onChange={(e) => setDeptCode(e.target.value)}
              options={departments.map((d) => ({ code: d.code, name: d.name }))}
            />
          ) : (
            '—'
          )}
        </td>
        <td>{user.phone ?? '—'}</td>
        <td>{user.enabled ? '启用' : '已停用'}</td>
        <td>
          <Button
            variant="primary"
            onClick={() => {
              const changes: Record<string, unknown> = {};
              if (displayName.trim() !== user.displayName) changes.displayName = displayName.trim();
              if (role !== user.role) changes.role = role;
              if (role === 'department' && deptCode !== (user.deptCode ?? '')) changes.deptCode = deptCode;
              void onChange(changes, `已修改：${displayName.trim()}`).then((ok) => ok && setEditing(false));
            }}
          >
            保存
          </Button>
          <Button variant="link" onClick={() => setEditing(false)}>
            取消
          </Button>
        </td>
      </tr>
    );
  }
  return (
    <tr className={user.enabled ? undefined : 'muted'}>
      <td>{user.displayName}</td>
      <td data-login>{user.username}</td>
      <td>{labels.role(user.role)}</td>
      <td>{user.role === 'department' ? deptName(user.deptCode) : '—'}</td>
      <td>{user.phone ?? '—'}</td>
      <td>{user.enabled ? '启用' : '已停用'}</td>
      <td>
        <Button variant="link" onClick={() => setEditing(true)}>
          修改
        </Button>
        {user.enabled ? (
          <Button
            variant="link"
            onClick={() => {
              if (window.confirm(`停用用户“${user.displayName}”？停用后其下一次操作即被拒绝。`)) void onEnabled(false);
            }}
          >
            停用
          </Button>
        ) : (
          <Button variant="link" onClick={() => void onEnabled(true)}>
            启用
          </Button>
        )}
      </td>
    </tr>
  );
}
