/**
 * A real browser-style upload through a presigned POST: the policy fields first, the file last,
 * as multipart/form-data (S3 ignores fields after the file).
 */
export interface PresignedPostForm {
  url: string;
  fields: Record<string, string>;
}

export interface UploadResult {
  status: number;
  headers: Headers;
  text: string;
}

export async function uploadPresignedPost(
  form: PresignedPostForm,
  bytes: Uint8Array,
  options: { contentType?: string; filename?: string } = {},
): Promise<UploadResult> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([bytes], { type: options.contentType ?? 'application/octet-stream' }), options.filename ?? 'upload.bin');
  const res = await fetch(form.url, { method: 'POST', body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
