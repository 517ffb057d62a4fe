/**
 * The vocabulary (GET /vocabulary, shared/app/vocabulary.ts): the office's departments and
 * categories and the label of every code, loaded once for the whole application.
 */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { CategoryOption, Option, Vocabulary } from '@shared/app/vocabulary';

export type { CategoryOption, Option, Vocabulary };

const VocabularyContext = createContext<{ vocab: Vocabulary; reload: () => Promise<void> } | undefined>(undefined);

/**
 * Holds the vocabulary loaded at boot; `load` fetches it again, which the admin's screens do after
 * changing a department or a category, so every label in this tab (the 操作记录 among them)
 * shows the new name without a reload of the page.
 */
export function VocabularyProvider({ value, load, children }: { value: Vocabulary; load: () => Promise<Vocabulary>; children: ReactNode }) {
  const [vocab, setVocab] = useState(value);
  const reload = useCallback(async () => setVocab(await load()), [load]);
  return <VocabularyContext.Provider value={{ vocab, reload }}>{children}</VocabularyContext.Provider>;
}

function useVocabularyContext() {
  const v = useContext(VocabularyContext);
  if (!v) throw new Error('useVocab outside VocabularyProvider');
  return v;
}

export function useVocab(): Vocabulary {
  return useVocabularyContext().vocab;
}

/** Fetches the vocabulary again (after an admin change to the departments or categories). */
export function useReloadVocabulary(): () => Promise<void> {
  return useVocabularyContext().reload;
}

/** The label of a code in one of the vocabulary's lists; the code itself when unknown. */
export function labelOf(list: Option[], code: string | undefined | null): string {
  if (code === undefined || code === null) return '';
  return list.find((o) => o.code === code)?.name ?? code;
}

/** Shorthand: const L = useLabels(); L.status('assigned') → 已交办. */
export function useLabels() {
  const v = useVocab();
  return {
    status: (c?: string) => labelOf(v.statuses, c),
    department: (c?: string | null) => (c ? labelOf(v.departments, c) : ''),
    /** 劳动社保, or with a subcategory 劳动社保 / 拖欠工资 (retired ones too: old cases keep them). */
    category: (c?: string, sub?: string) => {
      const name = labelOf(v.categories, c);
      if (!sub) return name;
      return `${name} / ${labelOf(v.categories.find((x) => x.code === c)?.subcategories ?? [], sub)}`;
    },
    itemType: (c?: string) => labelOf(v.itemTypes, c),
    channel: (c?: string) => labelOf(v.channels, c),
    outcome: (c?: string) => labelOf(v.outcomes, c),
    rating: (c?: string) => labelOf(v.ratings, c),
    deliveryMethod: (c?: string) => labelOf(v.deliveryMethods, c),
    action: (c?: string) => labelOf(v.actions, c),
    clock: (c?: string) => labelOf(v.clocks, c),
    letterType: (c?: string) => labelOf(v.letterTypes, c),
    documentKind: (c?: string) => labelOf(v.documentKinds, c),
    retention: (c?: string) => labelOf(v.retentionClasses, c),
    route: (c?: string) => labelOf(v.statutoryRoutes, c),
    role: (c?: string) => labelOf(v.roles, c),
  };
}
