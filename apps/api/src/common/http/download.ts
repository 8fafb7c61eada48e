import type { FastifyReply } from 'fastify';

/** An export or report rendered for download. */
export interface DownloadFile {
  filename: string;
  contentType: string;
  body: string | Buffer;
}

/**
 * `name` with the characters no file system accepts replaced, cut to `maxLength` characters; `fallback` when nothing
 * is left. Cut by code points: half an emoji (a lone surrogate) cannot be percent-encoded into the header.
 */
export function fileSafeName(name: string, maxLength: number, fallback: string): string {
  // Leading dots would make a hidden file (or `..`) on the user's disk. Bidirectional controls (U+202E…) would
  // show "report\u202Efdp.exe.md" as "report…exe.pdf"-like; other format characters (emoji joiners) stay.
  const cleaned = name
    .replace(/[\\/:*?"<>|\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu, '_')
    .trim()
    .replace(/^\.+/, '')
    .trim();
  return Array.from(cleaned).slice(0, maxLength).join('').trim() || fallback;
}

/**
 * `Content-Disposition: attachment` for `filename`: percent-encoded (RFC 6266 / 5987) because titles may hold any
 * Unicode, after a plain ASCII `filename=` for clients that do not read `filename*`.
 */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Sends `file` as an attachment (see `attachmentHeader`). */
export async function sendDownload(reply: FastifyReply, file: DownloadFile): Promise<void> {
  await reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachmentHeader(file.filename))
    .send(file.body);
}
