/**
 * Documents shown in the browser: a PDF's pages rendered with pdf.js into one canvas per page,
 * images as <img>, anything else as a download link. pdf.js (≈400 KB) is imported on first use
 * only, so no screen pays for it until a PDF is actually shown.
 *
 * - FileViewer: a stored document, by its (short-lived) download URL.
 * - PagePreviews: a local File before it is uploaded (a scan at the counter), as thumbnails.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { pdfAssetParams } from './pdf-assets';
import { fileSize } from '../lib/format';
import './files.css';

type PdfJs = typeof PdfJsModule;
type Loaded = { pdfjs: PdfJs; params: typeof pdfAssetParams };
let pdfjsPromise: Promise<Loaded> | undefined;

/** pdf.js, its worker and its data files, loaded once for the whole application. */
function loadPdfJs(): Promise<Loaded> {
  pdfjsPromise ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url'), import('./pdf-assets')]).then(
    ([pdfjs, worker, assets]) => {
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      return { pdfjs, params: assets.pdfAssetParams };
    },
  );
  pdfjsPromise.catch(() => {
    pdfjsPromise = undefined;
  });
  return pdfjsPromise;
}

/** Where a PDF's bytes come from: a URL (fetched here, so CORS errors surface as a message) or bytes in memory. */
type PdfSource = { url: string } | { data: ArrayBuffer };

async function openPdf(source: PdfSource, signal: AbortSignal): Promise<PDFDocumentProxy> {
  let data: ArrayBuffer;
  if ('url' in source) {
    const res = await fetch(source.url, { signal });
    if (!res.ok) throw new Error(`文件下载失败（HTTP ${res.status}）`);
    data = await res.arrayBuffer();
  } else {
    // pdf.js transfers the buffer to its worker: give it a copy so the caller keeps its own.
    data = source.data.slice(0);
  }
  const { pdfjs, params } = await loadPdfJs();
  return pdfjs.getDocument({ ...params, data: new Uint8Array(data), isEvalSupported: false }).promise;
}

export function isPdf(contentType: string | undefined, fileName?: string): boolean {
  return contentType === 'application/pdf' || (!contentType && /\.pdf$/i.test(fileName ?? ''));
}

/** Browsers show JPEG and PNG (and GIF/WebP); TIFF scans only download. */
export function isBrowserImage(contentType: string | undefined): boolean {
  return /^image\/(jpeg|png|gif|webp)$/.test(contentType ?? '');
}

interface PdfPagesProps {
  source: PdfSource;
  /** CSS width of each page in px; the canvas is rendered at the device pixel ratio. */
  width: number;
  /** Pages shown before a “显示全部” button. */
  initialPages?: number;
  /** Name used in the canvases' accessible labels. */
  label: string;
  className?: string;
  /** Reports the page count once the document is open. */
  onPages?: (pages: number) => void;
}

/** The pages of one PDF, one canvas each, numbered. */
function PdfPages({ source, width, initialPages = 20, label, className, onPages }: PdfPagesProps) {
  const [doc, setDoc] = useState<PDFDocumentProxy>();
  const [error, setError] = useState<string>();
  const [showAll, setShowAll] = useState(false);
  const key = 'url' in source ? source.url : source.data;

  useEffect(() => {
    const ctrl = new AbortController();
    let opened: PDFDocumentProxy | undefined;
    setDoc(undefined);
    setError(undefined);
    openPdf(source, ctrl.signal).then(
      (d) => {
        opened = d;
        if (ctrl.signal.aborted) {
          void d.destroy();
          return;
        }
        setDoc(d);
        onPages?.(d.numPages);
      },
      (e: unknown) => {
        if (!ctrl.signal.aborted)
          setError(e instanceof Error && e.message.startsWith('文件') ? e.message : '无法显示此 PDF 文件（文件可能已损坏或加密），请下载后查看');
      },
    );
    return () => {
      ctrl.abort();
      if (opened) void opened.destroy();
    };
    // The source's identity is its URL or its buffer.
  }, [key]);

  if (error)
    return (
      <div className="fv-error" role="alert">
        {error}
      </div>
    );
  if (!doc) {
    return (
      <div className="fv-loading" role="status">
        <span className="spinner" aria-hidden="true" /> 正在载入页面…
      </div>
    );
  }
  const count = showAll ? doc.numPages : Math.min(doc.numPages, initialPages);
  return (
    <div className={className ?? 'fv-pages'}>
      {Array.from({ length: count }, (_, i) => (
        <PdfPage key={i} doc={doc} pageNumber={i + 1} total={doc.numPages} width={width} label={label} />
      ))}
      {count < doc.numPages ? (
        <button type="button" className="btn" onClick={() => setShowAll(true)}>
          显示全部 {doc.numPages} 页
        </button>
      ) : null}
    </div>
  );
}

function PdfPage({ doc, pageNumber, total, width, label }: { doc: PDFDocumentProxy; pageNumber: number; total: number; width: number; label: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const [aspect, setAspect] = useState(1.414);

  useEffect(() => {
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | undefined;
    void (async () => {
      try {
        const page = await doc.getPage(pageNumber);
        if (cancelled || !canvasRef.current) return;
        const base = page.getViewport({ scale: 1 });
        const ratio = Math.min(window.devicePixelRatio || 1, 2);
        const viewport = page.getViewport({ scale: (width / base.width) * ratio });
        const canvas = canvasRef.current;
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        setAspect(base.height / base.width);
        task = page.render({ canvas, viewport });
        await task.promise;
      } catch (e) {
        if (!cancelled && !(e instanceof Error && e.name === 'RenderingCancelledException')) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, pageNumber, width]);

  return (
    <figure className="fv-page" style={{ width }}>
      {failed ? (
        <div className="fv-error" style={{ height: width * aspect }}>
          第 {pageNumber} 页无法显示
        </div>
      ) : (
        <canvas ref={canvasRef} role="img" aria-label={`${label} 第 ${pageNumber} 页`} style={{ width, height: width * aspect }} />
      )}
      <figcaption>
        第 {pageNumber} / {total} 页
      </figcaption>
    </figure>
  );
}

/** Measures the width available to the pages, so a page fills its column. */
function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w && w > 0) setWidth(Math.round(w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export interface FileViewerProps {
  /** A URL the browser may fetch (e.g. the short-lived link of GET …/documents/{id}/download). */
  url: string;
  contentType: string;
  fileName: string;
  /** Largest page width in px (default 820). */
  maxWidth?: number;
}

/** A stored document shown in the page: PDF pages, an image, or a download link. */
export function FileViewer({ url, contentType, fileName, maxWidth = 820 }: FileViewerProps) {
  const [ref, measured] = useWidth<HTMLDivElement>(maxWidth);
  const width = Math.max(200, Math.min(maxWidth, measured - 2));
  const download = (
    <a className="fv-download" href={url} download={fileName} target="_blank" rel="noopener noreferrer">
      下载 {fileName}
    </a>
  );
  let body;
  if (isPdf(contentType, fileName)) body = <PdfPages source={{ url }} width={width} label={fileName} />;
  else if (isBrowserImage(contentType)) body = <img className="fv-image" src={url} alt={fileName} style={{ maxWidth: width }} />;
  else body = <p className="fv-note">此类文件（{contentType || '未知类型'}）无法在浏览器中预览，请下载后查看。</p>;
  return (
    <div className="file-viewer" ref={ref}>
      <div className="fv-bar">
        <span className="fv-name">{fileName}</span>
        {download}
      </div>
      {body}
    </div>
  );
}

export interface PagePreviewsProps {
  file: File;
  /** Thumbnail width in px (default 120). */
  width?: number;
  /** Thumbnails shown before “显示全部” (default 12). */
  initialPages?: number;
  /** Reports the page count of a PDF once read. */
  onPages?: (pages: number) => void;
}

/** Each page of a local file (before upload) as a thumbnail: PDF pages, an image, or a note. */
export function PagePreviews({ file, width = 120, initialPages = 12, onPages }: PagePreviewsProps) {
  const [data, setData] = useState<ArrayBuffer>();
  const [objectUrl, setObjectUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const pdf = isPdf(file.type, file.name);
  const image = isBrowserImage(file.type);

  useEffect(() => {
    let cancelled = false;
    setData(undefined);
    setError(undefined);
    if (pdf) {
      file.arrayBuffer().then(
        (b) => {
          if (!cancelled) setData(b);
        },
        () => {
          if (!cancelled) setError('无法读取文件');
        },
      );
    }
    let u: string | undefined;
    if (image) {
      u = URL.createObjectURL(file);
      setObjectUrl(u);
    }
    return () => {
      cancelled = true;
      if (u) URL.revokeObjectURL(u);
    };
  }, [file, pdf, image]);

  if (error) return <div className="fv-error">{error}</div>;
  if (pdf) {
    if (!data)
      return (
        <div className="fv-loading" role="status">
          <span className="spinner" aria-hidden="true" /> 正在读取…
        </div>
      );
    return <PdfPages source={{ data }} width={width} initialPages={initialPages} label={file.name} className="fv-thumbs" onPages={onPages} />;
  }
  if (image && objectUrl) {
    return (
      <div className="fv-thumbs">
        <figure className="fv-page" style={{ width }}>
          <img src={objectUrl} alt={`${file.name} 预览`} style={{ width }} />
          <figcaption>第 1 / 1 页</figcaption>
        </figure>
      </div>
    );
  }
  return (
    <p className="fv-note">
      {file.type === 'image/tiff' ? 'TIFF 扫描件无法在浏览器中预览，上传后可下载查看' : '此类文件无法预览'}（{fileSize(file.size)}）
    </p>
  );
}
