import contentDisposition from 'content-disposition';

/**
 * The Content-Disposition of a download, built by a library that quotes and
 * encodes: names carry codes and people's text, and a quote, CR or LF written
 * into the header by hand would inject a second parameter or break the
 * response. The fallback for old clients drops diacritics (RFC 6266 §4.3);
 * browsers read the exact UTF-8 name from `filename*`.
 */
export function attachment(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return contentDisposition(name, { fallback: ascii });
}
