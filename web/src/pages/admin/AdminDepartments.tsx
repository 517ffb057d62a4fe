/**
 * 部门管理 (#/admin/departments, admin): the office's departments as data (docs/admin.md). Add a
 * department (its code is fixed for ever and never reused), rename one (every case shows the new
 * name), retire one (it keeps its history and open cases, takes no new case or user). Each change
 * is an event of the office audit trail (操作记录).
 */
import { useState } from 'react';
import type { Department } from '@shared/domain/directory';
import { api } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { useReloadVocabulary } from '../../lib/vocab';
import { Button, Card, ErrorBanner, Loading, Notice, Page, Table, TextInput } from '../../components/ui';

type Row = Department & { rev: number; users: number };

export default function AdminDepartments(_props: PageProps) {
  const list = useLoad((signal) => api.get<{ departments: Row[] }>('/admin/departments', { signal }).then((r) => r.data.departments), []);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();

  const reloadVocabulary = useReloadVocabulary();
  async function change(what: () => Promise<unknown>, message: string): Promise<boolean> {
    setError(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(message);
      list.reload();
      // The labels of the whole app (lists, 操作记录) show the change at once; a failed reload only keeps the old labels.
      reloadVocabulary().catch(() => undefined);
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  }

  return (
    <Page title="部门管理">
      <p className="archive-help">
        部门代码一经设定不再更改，撤销后也不再启用。撤销的部门保留其案件和历史记录，未办结案件仍由其承办，直至负责人改派；撤销后不能再交办新案件或添加用户。
      </p>
      <NewDepartment onCreate={(code, name) => change(() => api.post('/admin/departments', { code, name }), `已添加部门：${name}`)} />
      <ErrorBanner error={error} />
      {done ? <Notice kind="success">{done}</Notice> : null}
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <Card title="部门">
          <Table head={['代码', '名称', '状态', '启用用户', '更新时间', '操作']}>
            {list.data.map((d) => (
              <DepartmentRow
                key={`${d.code}-${d.rev}`}
                dept={d}
                onRename={(name) => change(() => api.put(`/admin/departments/${d.code}`, { name }), `已将 ${d.code} 更名为：${name}`)}
                onRetire={() => change(() => api.post(`/admin/departments/${d.code}/retire`), `已撤销部门：${d.name}`)}
              />
            ))}
          </Table>
        </Card>
      ) : null}
    </Page>
  );
}

function NewDepartment({ onCreate }: { onCreate: (code: string, name: string) => Promise<boolean> }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Card title="添加部门">
      <div className="grid grid-2">
        <TextInput
          label="部门代码"
          hint="大写字母开头，2–20位大写字母、数字、_ 或 -，如 WATER"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
        />
        <TextInput label="部门名称" hint="如 水务局" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="form-actions">
        <Button
          variant="primary"
          busy={busy}
          disabled={code.trim() === '' || name.trim() === ''}
          onClick={() => {
            setBusy(true);
            void onCreate(code.trim(), name.trim()).then((ok) => {
              setBusy(false);
              if (ok) {
                setCode('');
                setName('');
              }
            });
          }}
        >
          添加部门
        </Button>
      </div>
    </Card>
  );
}

function DepartmentRow({ dept, onRename, onRetire }: { dept: Row; onRename: (name: string) => Promise<boolean>; onRetire: () => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(dept.name);
  return (
    <tr>
      <td>{dept.code}</td>
      <td>{editing ? <TextInput label={`${dept.code} 新名称`} value={name} onChange={(e) => setName(e.target.value)} /> : dept.name}</td>
      <td>{dept.retired ? '已撤销' : '在用'}</td>
      <td>{dept.users}</td>
      <td>{dept.updatedAt ? dateTime(dept.updatedAt) : '—'}</td>
      <td>
        {dept.retired ? null : editing ? (
          <>
            <Button
              variant="primary"
              onClick={() => void onRename(name.trim()).then((ok) => ok && setEditing(false))}
              disabled={name.trim() === '' || name.trim() === dept.name}
            >
              保存名称
            </Button>
            <Button variant="link" onClick={() => setEditing(false)}>
              取消
            </Button>
          </>
        ) : (
          <>
            <Button variant="link" onClick={() => setEditing(true)}>
              更名
            </Button>
            <Button
              variant="link"
              onClick={() => {
                if (window.confirm(`撤销部门“${dept.name}”？撤销后不能再交办新案件，代码 ${dept.code} 不再启用。`)) void onRetire();
              }}
            >
              撤销
            </Button>
          </>
        )}
      </td>
    </tr>
  );
}
