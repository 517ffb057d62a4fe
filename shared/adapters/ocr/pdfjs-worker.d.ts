/** pdfjs-dist's worker module (no types of its own): imported for its side effect, `globalThis.pdfjsWorker`. */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';
