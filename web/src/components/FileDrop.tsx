/**
 * A drop zone that is also a file input: drag files onto it, or focus it (Tab) and press
 * Enter/Space to choose. Lists the chosen files with their size, an optional page preview,
 * a progress bar per file and a remove button. Generic: the registration uses it for scans,
 * the case page for response documents.
 */
import { useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { fileSize } from '../lib/format';
import { contentTypeOf, SCAN_EXTENSIONS } from '../lib/uploads';
import { PagePreviews } from './FileViewer';
import './files.css';

/** Where one file's upload stands. */
export interface FileUploadState {
  /** 0–1. */
  fraction: number;
  done?: boolean;
  error?: string;
}

export interface FileDropProps {
  files: File[];
  onChange: (files: File[]) => void;
  /** The zone's label (the file input's accessible name). */
  label?: string;
  /** Accepted extensions without the dot (default: PDF, JPEG, PNG, TIFF). */
  extensions?: string[];
  /** Largest file in bytes (the office's maxUploadBytes). */
  maxBytes?: number;
  maxFiles?: number;
  /** Per file (same index as `files`): its upload progress, once uploading. */
  uploads?: (FileUploadState | undefined)[];
  /** Show each file's pages as thumbnails (default true). */
  preview?: boolean;
  disabled?: boolean;
  /** An error for the whole field (e.g. the API's `uploads` issue). */
  error?: string;
  hint?: ReactNode;
}

const TYPE_NAMES: Record<string, string> = { pdf: 'PDF', jpg: 'JPEG', jpeg: 'JPEG', png: 'PNG', tif: 'TIFF', tiff: 'TIFF', docx: 'Word', xlsx: 'Excel' };

function fileKey(f: File): string {
  return `${f.name}|${f.size}|${f.lastModified}`;
}

export function FileDrop({
  files,
  onChange,
  label = '选择或拖入扫描件',
  extensions = SCAN_EXTENSIONS,
  maxBytes,
  maxFiles = 20,
  uploads,
  preview = true,
  disabled,
  error,
  hint,
}: FileDropProps) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [rejected, setRejected] = useState<string[]>([]);
  const [pages, setPages] = useState<Record<string, number>>({});
  const typeNames = [...new Set(extensions.map((e) => TYPE_NAMES[e] ?? e.toUpperCase()))].join('、');
  const accept = extensions.map((e) => `.${e}`).join(',');

  const add = (list: FileList | File[] | null): void => {
    if (!list || disabled) return;
    const next = [...files];
    const problems: string[] = [];
    for (const f of Array.from(list)) {
      if (!contentTypeOf(f, extensions)) problems.push(`${f.name}：不支持此文件类型（仅限 ${typeNames}）`);
      else if (f.size === 0) problems.push(`${f.name}：文件为空`);
      else if (maxBytes && f.size > maxBytes) problems.push(`${f.name}：文件过大（${fileSize(f.size)}，上限 ${fileSize(maxBytes)}）`);
      else if (next.some((g) => fileKey(g) === fileKey(f))) problems.push(`${f.name}：已添加`);
      else if (next.length >= maxFiles) problems.push(`${f.name}：最多 ${maxFiles} 个文件`);
      else next.push(f);
    }
    setRejected(problems);
    if (next.length !== files.length) onChange(next);
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    add(e.dataTransfer.files);
  };

  const remove = (i: number): void => {
    onChange(files.filter((_, j) => j !== i));
    setRejected([]);
    inputRef.current?.focus();
  };

  const uploading = uploads?.some((u) => u && !u.done && !u.error) ?? false;

  return (
    <div className={`file-drop ${error ? 'field-invalid' : ''}`}>
      <div
        className={`fd-zone ${over ? 'fd-over' : ''} ${disabled ? 'fd-disabled' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
          if (!over) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <input
          ref={inputRef}
          id={id}
          className="fd-input"
          type="file"
          multiple
          accept={accept}
          disabled={disabled}
          aria-describedby={`${id}-hint${error ? ` ${id}-err` : ''}`}
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <label htmlFor={id} className="fd-label">
          <span className="fd-icon" aria-hidden="true">
            ⇪
          </span>
          <span className="fd-title">{label}</span>
          <span className="fd-sub" id={`${id}-hint`}>
            {hint ?? (
              <>
                点击选择，或将文件拖到此处 · 支持 {typeNames}
                {maxBytes ? ` · 单个文件不超过 ${fileSize(maxBytes)}` : ''}
              </>
            )}
          </span>
        </label>
      </div>
      {error ? (
        <div className="field-error" id={`${id}-err`} role="alert">
          {error}
        </div>
      ) : null}
      {rejected.length > 0 ? (
        <ul className="fd-rejected" role="alert">
          {rejected.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {files.length > 0 ? (
        <ul className="fd-list" aria-label="已选择的文件">
          {files.map((f, i) => {
            const u = uploads?.[i];
            const n = pages[fileKey(f)];
            return (
              <li key={fileKey(f)} className="fd-item">
                <div className="fd-row">
                  <span className="fd-name" title={f.name}>
                    {f.name}
                  </span>
                  <span className="fd-meta">
                    {fileSize(f.size)}
                    {n ? ` · ${n} 页` : ''}
                  </span>
                  <progress className="fd-progress" max={1} value={u ? u.fraction : 0} aria-label={`${f.name} 上传进度`} />
                  <span className={`fd-state ${u?.error ? 'fd-state-error' : u?.done ? 'fd-state-done' : ''}`} aria-live="polite">
                    {u?.error ? '上传失败' : u?.done ? '已上传' : u ? `${Math.round(u.fraction * 100)}%` : '待上传'}
                  </span>
                  <button
                    type="button"
                    className="btn btn-link fd-remove"
                    onClick={() => remove(i)}
                    disabled={disabled || uploading}
                    aria-label={`移除 ${f.name}`}
                  >
                    移除
                  </button>
                </div>
                {u?.error ? <div className="field-error">{u.error}</div> : null}
                {preview ? <PagePreviews file={f} onPages={(count) => setPages((p) => (p[fileKey(f)] === count ? p : { ...p, [fileKey(f)]: count }))} /> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
