import type { FastifyReply } from 'fastify';

/** An export or report rendered for download. */
export interface DownloadFile {
  filename: string;
  contentType: string;
  body: string | Buffer;
}

/** `name` with the characters no file system accepts replaced, cut to `maxLength`; `fallback` when nothing is left. */
export function fileSafeName(name: string, maxLength: number, fallback: string): string {
  return (
    name
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_')
      .slice(0, maxLength)
      .trim() || fallback
  );
}

/** Sends `file` as an attachment; its name goes percent-encoded (RFC 5987) because titles may hold any Unicode. */
export async function sendDownload(reply: FastifyReply, file: DownloadFile): Promise<void> {
  await reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .send(file.body);
}
