/**
 * 分类管理 (#/admin/categories, admin): the content taxonomy, 问题类别 and their 子类 (docs/admin.md).
 * Add a category or a subcategory (its code is fixed for ever and never reused), rename one (its
 * cases and reports show the new name), retire one (it stays on its old cases and in the reports;
 * no form offers it and registration refuses it). Each change is an event of 操作记录.
 */
import { useState } from 'react';
import type { Category } from '@shared/domain/categories';
import { api } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { useReloadVocabulary } from '../../lib/vocab';
import { Button, Card, ErrorBanner, Loading, Notice, Page, Select, Table, TextInput } from '../../components/ui';

interface Taxonomy {
  categories: Category[];
  rev: number;
}

export default function AdminCategories(_props: PageProps) {
  const list = useLoad((signal) => api.get<Taxonomy>('/admin/categories', { signal }).then((r) => r.data), []);
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

  const active = (list.data?.categories ?? []).filter((c) => !c.retired);
  return (
    <Page title="分类管理">
      <p className="archive-help">
        问题类别分两级：类别和子类。代码一经设定不再更改，停用后也不再启用。停用的类别或子类仍显示在原有案件和统计报表中，登记时不再提供。
      </p>
      <NewEntry
        parents={active}
        onCreate={(code, name, parent) =>
          change(() => api.post('/admin/categories', { code, name, ...(parent ? { parent } : {}) }), parent ? `已添加子类：${name}` : `已添加类别：${name}`)
        }
      />
      <ErrorBanner error={error} />
      {done ? <Notice kind="success">{done}</Notice> : null}
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <Card title="问题类别">
          <Table head={['代码', '名称', '级别', '状态', '操作']}>
            {list.data.categories.flatMap((c) => [
              <EntryRow
                key={`${c.code}-${list.data?.rev}`}
                path={c.code}
                name={c.name}
                level="类别"
                retired={c.retired}
                onRename={(name) => change(() => api.put(`/admin/categories/${c.code}`, { name }), `已将 ${c.code} 更名为：${name}`)}
                onRetire={() => change(() => api.post(`/admin/categories/${c.code}/retire`), `已停用类别：${c.name}`)}
              />,
              ...c.subcategories.map((s) => (
                <EntryRow
                  key={`${c.code}.${s.code}-${list.data?.rev}`}
                  path={`${c.code}.${s.code}`}
                  name={s.name}
                  level={`子类（${c.name}）`}
                  retired={s.retired || c.retired}
                  onRename={(name) => change(() => api.put(`/admin/categories/${c.code}.${s.code}`, { name }), `已将 ${c.code}.${s.code} 更名为：${name}`)}
                  onRetire={() => change(() => api.post(`/admin/categories/${c.code}.${s.code}/retire`), `已停用子类：${s.name}`)}
                />
              )),
            ])}
          </Table>
        </Card>
      ) : null}
    </Page>
  );
}

function NewEntry({ parents, onCreate }: { parents: Category[]; onCreate: (code: string, name: string, parent: string) => Promise<boolean> }) {
  const [parent, setParent] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Card title="添加类别或子类">
      <div className="grid grid-3">
        <Select
          label="上级类别"
          hint="添加子类时选择；添加类别时留空"
          options={parents.map((c) => ({ code: c.code, name: c.name }))}
          placeholder="（添加类别）"
          value={parent}
          onChange={(e) => setParent(e.target.value)}
        />
        <TextInput label="代码" hint="小写字母开头，2–31位小写字母、数字或 -，如 wages" value={code} onChange={(e) => setCode(e.target.value.toLowerCase())} />
        <TextInput label="名称" hint="如 拖欠工资" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="form-actions">
        <Button
          variant="primary"
          busy={busy}
          disabled={code.trim() === '' || name.trim() === ''}
          onClick={() => {
            setBusy(true);
            void onCreate(code.trim(), name.trim(), parent).then((ok) => {
              setBusy(false);
              if (ok) {
                setCode('');
                setName('');
              }
            });
          }}
        >
          {parent ? '添加子类' : '添加类别'}
        </Button>
      </div>
    </Card>
  );
}

function EntryRow(props: {
  path: string;
  name: string;
  level: string;
  retired: boolean;
  onRename: (name: string) => Promise<boolean>;
  onRetire: () => Promise<boolean>;
}) {
  const { path, level, retired, onRename, onRetire } = props;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(props.name);
  return (
    <tr>
      <td>{path}</td>
      <td>{editing ? <TextInput label={`${path} 新名称`} value={name} onChange={(e) => setName(e.target.value)} /> : props.name}</td>
      <td>{level}</td>
      <td>{retired ? '已停用' : '在用'}</td>
      <td>
        {retired ? null : editing ? (
          <>
            <Button
              variant="primary"
              onClick={() => void onRename(name.trim()).then((ok) => ok && setEditing(false))}
              disabled={name.trim() === '' || name.trim() === props.name}
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
                if (window.confirm(`停用“${props.name}”？原有案件和统计报表仍显示该分类，登记时不再提供，代码 ${path} 不再启用。`)) void onRetire();
              }}
            >
              停用
            </Button>
          </>
        )}
      </td>
    </tr>
  );
}
