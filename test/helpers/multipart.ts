import { randomBytes } from 'node:crypto';

/** A multipart/form-data body with one file field, built by hand (what a browser's FormData sends). */
export function multipart(fileName: string, mimetype: string, bytes: Buffer | Uint8Array) {
  const boundary = `----par${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${mimetype}\r\n\r\n`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
  };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
