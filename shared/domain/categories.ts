/**
 * The content taxonomy of cases (问题类别 / 子类), two levels, kept by the admin (分类管理): pure
 * schemas and the rules a change must keep (docs/admin.md).
 *
 * - A code is chosen once and never changes; a retired category or subcategory keeps its code and
 *   name (old cases and the reports still show it) but no form offers it and registration refuses
 *   it; a code never returns (adding one that exists, retired or not, is refused).
 * - A subcategory belongs to one category; its code is unique within that category. The API names
 *   it `<category>.<subcategory>` (labour.wages), which no code can be mistaken for.
 */
import { z } from 'zod';

/** The code of a category or subcategory (a case's `category` / `subcategory`). */
export const CATEGORY_CODE = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a category code');
export const CATEGORY_NAME = z.string().trim().min(2, 'at least 2 characters').max(30, 'at most 30 characters');

export const SubcategorySchema = z.object({
  code: CATEGORY_CODE,
  name: z.string().min(1).max(60),
  retired: z.boolean().default(false),
});
export type Subcategory = z.infer<typeof SubcategorySchema>;

export const CategorySchema = z.object({
  code: CATEGORY_CODE,
  name: z.string().min(1).max(60),
  /** Retired: on its old cases and in reports; offered by no form, refused at registration. */
  retired: z.boolean().default(false),
  subcategories: z.array(SubcategorySchema).max(60).default([]),
});
export type Category = z.infer<typeof CategorySchema>;

/** The taxonomy as configured or stored: codes unique (subcategories within their category). */
export const CategoriesSchema = z
  .array(CategorySchema)
  .min(1)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of list.entries()) {
      if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `category ${c.code} is listed twice` });
      seen.add(c.code);
      const subs = new Set<string>();
      for (const [j, s] of c.subcategories.entries()) {
        if (subs.has(s.code))
          ctx.addIssue({ code: 'custom', path: [i, 'subcategories', j, 'code'], message: `subcategory ${c.code}.${s.code} is listed twice` });
        subs.add(s.code);
      }
    }
  });

/** How the API names a category (`labour`) or a subcategory (`labour.wages`) in a path. */
export const CATEGORY_PATH = z.string().regex(/^[a-z][a-z0-9-]{1,30}(\.[a-z][a-z0-9-]{1,30})?$/, 'must be a category code, or category.subcategory');

/** Adds a category, or with `parent` a subcategory of it. */
export const CreateCategorySchema = z.object({ code: CATEGORY_CODE, name: CATEGORY_NAME, parent: CATEGORY_CODE.optional() });
export type CreateCategory = z.infer<typeof CreateCategorySchema>;
export const RenameCategorySchema = z.object({ name: CATEGORY_NAME });
export type RenameCategory = z.infer<typeof RenameCategorySchema>;

/** `labour.wages` → { code: 'labour', sub: 'wages' }. */
export function splitCategoryPath(path: string): { code: string; sub?: string } {
  const [code, sub] = path.split('.');
  return sub ? { code: code as string, sub } : { code: code as string };
}

type Issue = [field: string, reason: string];

/** The taxonomy with `input` added, or why not (a code that exists or existed, a name taken, a retired parent). */
export function withAdded(categories: readonly Category[], input: CreateCategory): { categories: Category[] } | { issue: Issue } {
  if (input.parent === undefined) {
    if (categories.some((c) => c.code === input.code))
      return { issue: ['code', `code ${input.code} is taken (codes never change or return, even once retired)`] };
    if (categories.some((c) => !c.retired && c.name === input.name)) return { issue: ['name', `a category is already called ${input.name}`] };
    return { categories: [...categories, { code: input.code, name: input.name, retired: false, subcategories: [] }] };
  }
  const parent = categories.find((c) => c.code === input.parent);
  if (!parent) return { issue: ['parent', `unknown category ${input.parent}`] };
  if (parent.retired) return { issue: ['parent', `category ${input.parent} is retired`] };
  if (parent.subcategories.some((s) => s.code === input.code))
    return { issue: ['code', `code ${input.parent}.${input.code} is taken (codes never change or return, even once retired)`] };
  if (parent.subcategories.some((s) => !s.retired && s.name === input.name))
    return { issue: ['name', `a subcategory of ${input.parent} is already called ${input.name}`] };
  return {
    categories: categories.map((c) =>
      c === parent ? { ...c, subcategories: [...c.subcategories, { code: input.code, name: input.name, retired: false }] } : c,
    ),
  };
}

/** The taxonomy with the category or subcategory at `path` changed by `change`; undefined when there is none. */
export function withChanged(
  categories: readonly Category[],
  path: string,
  change: (entry: { name: string; retired: boolean }) => { name: string; retired: boolean },
): { categories: Category[]; before: { name: string; retired: boolean }; after: { name: string; retired: boolean } } | undefined {
  const { code, sub } = splitCategoryPath(path);
  const category = categories.find((c) => c.code === code);
  if (!category) return undefined;
  if (sub === undefined) {
    const after = change({ name: category.name, retired: category.retired });
    return {
      categories: categories.map((c) => (c === category ? { ...c, ...after } : c)),
      before: { name: category.name, retired: category.retired },
      after,
    };
  }
  const subcategory = category.subcategories.find((s) => s.code === sub);
  if (!subcategory) return undefined;
  const after = change({ name: subcategory.name, retired: subcategory.retired });
  return {
    categories: categories.map((c) => (c === category ? { ...c, subcategories: c.subcategories.map((s) => (s === subcategory ? { ...s, ...after } : s)) } : c)),
    before: { name: subcategory.name, retired: subcategory.retired },
    after,
  };
}

/** A name another active entry of the same level already has (renames keep names unique among active entries). */
export function nameTaken(categories: readonly Category[], path: string, name: string): boolean {
  const { code, sub } = splitCategoryPath(path);
  if (sub === undefined) return categories.some((c) => c.code !== code && !c.retired && c.name === name);
  const parent = categories.find((c) => c.code === code);
  return Boolean(parent?.subcategories.some((s) => s.code !== sub && !s.retired && s.name === name));
}

/**
 * Why a new case cannot have this category and subcategory, as [field, reason]: unknown or retired
 * (a retired one stays on old cases only). A subcategory is optional; given, it must be one of the
 * category's, not retired.
 */
export function categoryProblem(categories: readonly Category[], category: string, subcategory?: string): Issue | undefined {
  const c = categories.find((x) => x.code === category);
  if (!c) return ['category', `unknown category ${category}`];
  if (c.retired) return ['category', `category ${category} is retired`];
  if (subcategory === undefined) return undefined;
  const s = c.subcategories.find((x) => x.code === subcategory);
  if (!s) return ['subcategory', `unknown subcategory ${category}.${subcategory}`];
  if (s.retired) return ['subcategory', `subcategory ${category}.${subcategory} is retired`];
  return undefined;
}

/** The name of a category, and of its subcategory when given: 劳动社保 / 拖欠工资. Unknown codes as they are. */
export function categoryName(categories: readonly Category[], category: string, subcategory?: string): string {
  const c = categories.find((x) => x.code === category);
  const name = c?.name ?? category;
  if (subcategory === undefined) return name;
  return `${name} / ${c?.subcategories.find((s) => s.code === subcategory)?.name ?? subcategory}`;
}
