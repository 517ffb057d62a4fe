/**
 * pdf.js's data files, served as Vite assets: the CJK character maps (PDFs written with fonts
 * they do not embed, common in Chinese office documents), the standard fonts, and the wasm
 * decoders (JPEG 2000, JBIG2, colour profiles: scanners produce these). pdf.js asks for them by
 * file name; these factories answer from the hashed asset URLs. Imported only with pdf.js
 * itself, so no screen loads them before a PDF is shown, and each file is fetched only when a
 * document needs it.
 */
const cmaps = import.meta.glob<string>('../../../node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url&no-inline', import: 'default', eager: true });
const fonts = import.meta.glob<string>('../../../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', {
  query: '?url&no-inline',
  import: 'default',
  eager: true,
});
const wasm = import.meta.glob<string>('../../../node_modules/pdfjs-dist/wasm/*.{wasm,js}', { query: '?url&no-inline', import: 'default', eager: true });

function byFileName(urls: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(urls).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]));
}

const CMAPS = byFileName(cmaps);
const FONTS = byFileName(fonts);
const WASM = byFileName(wasm);

async function fetchBytes(table: Map<string, string>, file: string): Promise<Uint8Array> {
  const url = table.get(file);
  if (!url) throw new Error(`pdf.js asset not bundled: ${file}`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`pdf.js asset ${file}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export class CMapReaderFactory {
  async fetch({ name }: { name: string }): Promise<{ cMapData: Uint8Array; isCompressed: boolean }> {
    return { cMapData: await fetchBytes(CMAPS, `${name}.bcmap`), isCompressed: true };
  }
}

export class StandardFontDataFactory {
  fetch({ filename }: { filename: string }): Promise<Uint8Array> {
    return fetchBytes(FONTS, filename);
  }
}

export class WasmFactory {
  fetch({ filename }: { filename: string }): Promise<Uint8Array> {
    return fetchBytes(WASM, filename);
  }
}

/** The getDocument() parameters that route pdf.js's data requests through these factories. */
export const pdfAssetParams = {
  CMapReaderFactory,
  StandardFontDataFactory,
  WasmFactory,
  // The main thread fetches (through the factories) and hands the data to the worker.
  useWorkerFetch: false,
  // Not used by the factories, but pdf.js only asks for data it has a source for.
  cMapUrl: 'bundled/',
  cMapPacked: true,
  standardFontDataUrl: 'bundled/',
  wasmUrl: 'bundled/',
};
