/**
 * The files attached to a form's draft, kept in this browser (IndexedDB) beside the typed draft
 * (useDraft, sessionStorage): a reload, a failed request or a sign-in after the session expired
 * keeps the scans as it keeps the text. Like the text they are per tab (the key names the tab,
 * whose id lives in sessionStorage) and belong to who attached them: signing out, or another
 * user signing in, clears them all (clearDraftFiles, from auth.ts). Entries older than a day are
 * dropped when the store is opened. Where IndexedDB is unavailable, the files live in memory
 * only, and `kept` says so.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const DB = 'xf-drafts';
const STORE = 'files';
/** sessionStorage: this tab's id (under the drafts' prefix, so that clearing drafts forgets it). */
const TAB_KEY = 'xf.draft.tab';
const MAX_AGE_MS = 24 * 3600_000;

interface Stored {
  savedAt: number;
  files: { name: string; type: string; lastModified: number; blob: Blob }[];
}

function tabId(): string {
  let id = sessionStorage.getItem(TAB_KEY);
  if (!id) {
    id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    sessionStorage.setItem(TAB_KEY, id);
  }
  return id;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

let opened: Promise<IDBDatabase> | undefined;
function open(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB unavailable'));
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB unavailable'));
  }).then(async (db) => {
    await purgeOld(db);
    return db;
  });
  opened.catch(() => (opened = undefined));
  return opened;
}

function purgeOld(db: IDBDatabase): Promise<void> {
  return new Promise((resolve) => {
    const tx = db.transaction(STORE, 'readwrite');
    const cursor = tx.objectStore(STORE).openCursor();
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return;
      if (Date.now() - ((c.value as Stored | undefined)?.savedAt ?? 0) > MAX_AGE_MS) c.delete();
      c.continue();
    };
    tx.oncomplete = () => resolve();
    tx.onerror = () => resolve();
    tx.onabort = () => resolve();
  });
}

async function save(key: string, files: File[]): Promise<void> {
  const db = await open();
  const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
  if (files.length === 0) await request(store.delete(key));
  else {
    const value: Stored = { savedAt: Date.now(), files: files.map((f) => ({ name: f.name, type: f.type, lastModified: f.lastModified, blob: f })) };
    await request(store.put(value, key));
  }
}

async function load(key: string): Promise<File[]> {
  const db = await open();
  const value = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(key))) as Stored | undefined;
  return (value?.files ?? []).map((f) => new File([f.blob], f.name, { type: f.type, lastModified: f.lastModified }));
}

/** Forgets every draft's files in this browser (sign-out, or another user signing in). */
export function clearDraftFiles(): void {
  open()
    .then((db) => request(db.transaction(STORE, 'readwrite').objectStore(STORE).clear()))
    .catch(() => undefined);
}

export interface DraftFiles {
  files: File[];
  setFiles: (files: File[]) => void;
  /** How many files were brought back from an earlier visit of the page (a reload, a sign-in). */
  restored: number;
  /** False when the browser could not keep them: they must be attached again after a reload. */
  kept: boolean;
}

/** The files of the draft `key` in this tab: restored on mount, saved on every change. */
export function useDraftFiles(key: string): DraftFiles {
  const [files, setState] = useState<File[]>([]);
  const [restored, setRestored] = useState(0);
  const [kept, setKept] = useState(true);
  const [storageKey] = useState(() => `${tabId()}:${key}`);
  const touched = useRef(false);
  useEffect(() => {
    let live = true;
    load(storageKey)
      .then((found) => {
        // A file attached before the stored ones arrived wins: the user's latest choice.
        if (!live || touched.current || found.length === 0) return;
        setState(found);
        setRestored(found.length);
      })
      .catch(() => live && setKept(false));
    return () => {
      live = false;
    };
  }, [storageKey]);
  const setFiles = useCallback(
    (next: File[]) => {
      touched.current = true;
      setState(next);
      setRestored(0);
      save(storageKey, next).then(
        () => setKept(true),
        () => setKept(false),
      );
    },
    [storageKey],
  );
  return { files, setFiles, restored, kept };
}
