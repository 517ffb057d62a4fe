/**
 * 分类管理 over the fakes (issue 16): the two-level taxonomy seeded from OFFICE_CONFIG on first
 * use and superseded from then on; add, rename, retire, each an event of the office chain (which
 * verifies); codes never change or return; a retired entry stays readable but is refused for a
 * new case; the live view every function reads follows a change at once.
 */
import { describe, expect, it } from 'vitest';
import { OfficeAdmin, OfficeDirectorySource, OFFICE_AUDIT_CHAIN, tableOnlyIdentity } from '../../../shared/app/directory';
import { verifyChain } from '../../../shared/domain/audit';
import { categoryName, categoryProblem, CategoriesSchema, type Category } from '../../../shared/domain/categories';
import { parseOfficeSettings } from '../../../shared/domain/office';
import { DEFAULT_CATEGORIES } from '../../../shared/domain/taxonomy';
import { FakeClock } from '../../../shared/domain/time';
import type { Actor } from '../../../shared/domain/roles';
import { FakeOfficeStore } from '../../support/fakes/office-store';
import { CreateCategorySchema } from '../../../shared/domain/categories';
import { parseInput } from '../../../shared/domain/validation';

const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '刘洋', roles: ['admin'] };
const clerk: Actor = { userId: 'u-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };

function setup(configured: readonly Category[] = DEFAULT_CATEGORIES, store = new FakeOfficeStore()) {
  const clock = new FakeClock('2026-03-02T01:00:00Z');
  const source = new OfficeDirectorySource({ store, clock, seed: [{ code: 'HRSS', name: '人力资源和社会保障局' }], categories: configured, cacheMs: 0 });
  const office = new OfficeAdmin({ store, identity: tableOnlyIdentity, source, clock });
  return { store, clock, source, office };
}

const ONE: Category[] = [{ code: 'labour', name: '劳动', retired: false, subcategories: [] }];

describe('the default taxonomy', () => {
  it('has two levels drawn from common 信访 classifications, every code unique, the first release’s codes kept', () => {
    expect(CategoriesSchema.safeParse(DEFAULT_CATEGORIES).success).toBe(true);
    const names = DEFAULT_CATEGORIES.map((c) => c.name);
    for (const n of ['劳动社保', '农业农村', '国土资源', '城乡建设', '生态环境', '民政救助', '政法', '纪检监察', '教育', '卫生健康'])
      expect(names).toContain(n);
    for (const code of ['labour', 'rural', 'land', 'urban', 'assistance', 'environment', 'law', 'accusation', 'other'])
      expect(DEFAULT_CATEGORIES.map((c) => c.code)).toContain(code);
    expect(DEFAULT_CATEGORIES.filter((c) => c.code !== 'other').every((c) => c.subcategories.length >= 3)).toBe(true);
  });

  it('OFFICE_CONFIG’s one-level list of the first release still reads (no subcategories, not retired)', () => {
    const s = parseOfficeSettings(JSON.stringify({ categories: [{ code: 'labour', name: '劳动' }] }));
    expect(s.categories).toEqual(ONE);
    expect(() => parseOfficeSettings(JSON.stringify({ categories: [ONE[0], ONE[0]] }))).toThrow(/listed twice/);
  });
});

describe('分类管理 over the fakes', () => {
  it('seeds the store from OFFICE_CONFIG on first use; from then on the store wins over any configuration', async () => {
    const first = setup(ONE);
    expect(first.source.categories).toEqual(ONE); // nothing stored yet: the configuration
    expect((await first.office.listCategories(admin)).categories).toEqual(ONE);
    expect(first.store.categoryItem?.rev).toBe(1);
    await first.office.createCategory(admin, { code: 'water', name: '水利' });

    // A later deploy with another OFFICE_CONFIG: the stored taxonomy stays in force.
    const later = setup(DEFAULT_CATEGORIES, first.store);
    await later.source.refresh();
    expect(later.source.categories.map((c) => c.code)).toEqual(['labour', 'water']);
    expect((await later.office.listCategories(admin)).categories.map((c) => c.code)).toEqual(['labour', 'water']);
  });

  it('adds, renames and retires categories and subcategories, each audited on the office chain, which verifies', async () => {
    const { office, source, store } = setup(ONE);
    await office.createCategory(admin, { code: 'wages', name: '拖欠工资', parent: 'labour' });
    await office.renameCategory(admin, 'labour', { name: '劳动社保' });
    await office.renameCategory(admin, 'labour.wages', { name: '欠薪' });
    await office.createCategory(admin, { code: 'pension', name: '养老保险', parent: 'labour' });
    await office.retireCategory(admin, 'labour.pension');
    const { categories } = await office.listCategories(admin);
    expect(categories).toEqual([
      {
        code: 'labour',
        name: '劳动社保',
        retired: false,
        subcategories: [
          { code: 'wages', name: '欠薪', retired: false },
          { code: 'pension', name: '养老保险', retired: true },
        ],
      },
    ]);
    // The live view the registration and the vocabulary read follows at once.
    expect(source.categories).toEqual(categories);
    expect(store.events.map((e) => [e.type, e.data.code])).toEqual([
      ['category.created', 'labour.wages'],
      ['category.renamed', 'labour'],
      ['category.renamed', 'labour.wages'],
      ['category.created', 'labour.pension'],
      ['category.retired', 'labour.pension'],
    ]);
    expect(store.events[1]?.data).toMatchObject({ before: { name: '劳动' }, after: { name: '劳动社保' } });
    expect(store.events[1]?.actor).toMatchObject({ username: 'admin1' });
    expect(verifyChain(OFFICE_AUDIT_CHAIN, store.events).ok).toBe(true);
  });

  it('never gives a code twice, even once retired; refuses a name already in use, and a subcategory under a retired category', async () => {
    const { office } = setup(ONE);
    await office.createCategory(admin, { code: 'water', name: '水利' });
    await office.retireCategory(admin, 'water');
    await expect(office.createCategory(admin, { code: 'water', name: '水务' })).rejects.toThrow(/code water is taken/);
    await expect(office.createCategory(admin, { code: 'work', name: '劳动' })).rejects.toThrow(/already called 劳动/);
    await expect(office.createCategory(admin, { code: 'dams', name: '水库', parent: 'water' })).rejects.toThrow(/water is retired/);
    await expect(office.renameCategory(admin, 'nothing', { name: '无此类别' })).rejects.toThrow(/category/);
    // A code the schema refuses never reaches the use case: the route (here parseInput) answers 400.
    expect(() => parseInput(CreateCategorySchema, { code: 'Bad Code', name: '坏代码' })).toThrow(
      expect.objectContaining({ issues: [{ field: 'code', reason: 'must be a category code' }] }),
    );
    await expect(office.retireCategory(admin, 'labour')).rejects.toThrow(/至少保留一个/);
  });

  it('is for the admin only', async () => {
    const { office } = setup(ONE);
    await expect(office.listCategories(clerk)).rejects.toThrow();
    await expect(office.createCategory(clerk, { code: 'water', name: '水利' })).rejects.toThrow();
  });
});

describe('a case’s category against the taxonomy', () => {
  const taxonomy: Category[] = [
    {
      code: 'labour',
      name: '劳动社保',
      retired: false,
      subcategories: [
        { code: 'wages', name: '拖欠工资', retired: false },
        { code: 'old', name: '旧子类', retired: true },
      ],
    },
    { code: 'gone', name: '已停用类别', retired: true, subcategories: [] },
  ];

  it('accepts an active category, with or without one of its active subcategories', () => {
    expect(categoryProblem(taxonomy, 'labour')).toBeUndefined();
    expect(categoryProblem(taxonomy, 'labour', 'wages')).toBeUndefined();
  });

  it('refuses an unknown or retired category or subcategory for a new case', () => {
    expect(categoryProblem(taxonomy, 'nothing')).toEqual(['category', 'unknown category nothing']);
    expect(categoryProblem(taxonomy, 'gone')).toEqual(['category', 'category gone is retired']);
    expect(categoryProblem(taxonomy, 'labour', 'old')).toEqual(['subcategory', 'subcategory labour.old is retired']);
    expect(categoryProblem(taxonomy, 'labour', 'pension')).toEqual(['subcategory', 'unknown subcategory labour.pension']);
  });

  it('still names a retired one on an old case, and a code it no longer knows as it is', () => {
    expect(categoryName(taxonomy, 'gone')).toBe('已停用类别');
    expect(categoryName(taxonomy, 'labour', 'old')).toBe('劳动社保 / 旧子类');
    expect(categoryName(taxonomy, 'legacy')).toBe('legacy');
  });
});
