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
  const cleaned = name.replace(/[\\/:*?"<>|\p{Cc}\p{Cs}]+/gu, '_').trim();
  return Array.from(cleaned).slice(0, maxLength).join('').trim() || fallback;
}

/** Sends `file` as an attachment; its name goes percent-encoded (RFC 5987) because titles may hold any Unicode. */
export async function sendDownload(reply: FastifyReply, file: DownloadFile): Promise<void> {
  await reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .send(file.body);
}
