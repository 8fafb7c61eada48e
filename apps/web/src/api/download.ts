/** A file the server sent as an attachment. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/**
 * The file name of a `Content-Disposition: attachment` header: the RFC 5987 `filename*=UTF-8''…` form when present
 * (it carries non-ASCII names such as Chinese titles), else the plain `filename="…"`.
 */
export function filenameFromContentDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (extended) {
    const value = extended[1]!.trim().replace(/^"|"$/g, '');
    const encoded = value.replace(/^[\w-]*'[^']*'/, '');
    try {
      return decodeURIComponent(encoded) || null;
    } catch {
      // a malformed escape: fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/i.exec(header);
  if (!plain) return null;
  const name = plain[1]!.trim().replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
  return name || null;
}

export async function readDownload(response: Response, fallbackName: string): Promise<DownloadedFile> {
  const filename = filenameFromContentDisposition(response.headers.get('Content-Disposition')) ?? fallbackName;
  return { blob: await response.blob(), filename };
}
