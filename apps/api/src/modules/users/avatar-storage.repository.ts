import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { AppConfig } from '../../config/app-config';

export const AVATAR_SIZE = 256;
const ACCEPTED_FORMATS = new Set(['png', 'jpeg', 'webp']);

export class NotAnImageError extends Error {}

/**
 * Avatars on disk under DATA_DIR/avatars. Every upload is decoded and re-encoded as a square WebP, so what we
 * serve is always an image we produced, never the bytes a user sent (no HTML or SVG smuggling).
 */
@Injectable()
export class AvatarStorageRepository {
  private readonly dir: string;

  constructor(config: AppConfig) {
    this.dir = join(config.dataDir, 'avatars');
  }

  /** Returns the stored file name. Throws NotAnImageError for anything but a decodable PNG, JPEG or WebP. */
  async save(userId: string, upload: Buffer): Promise<string> {
    let encoded: Buffer;
    try {
      const image = sharp(upload, { limitInputPixels: 40_000_000, failOn: 'error' });
      const meta = await image.metadata();
      if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) throw new NotAnImageError(String(meta.format));
      encoded = await image
        .rotate()
        .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover' })
        .webp({ quality: 85 })
        .toBuffer();
    } catch (error) {
      if (error instanceof NotAnImageError) throw error;
      throw new NotAnImageError('undecodable image');
    }
    const digest = createHash('sha256').update(encoded).digest('hex').slice(0, 16);
    const fileName = `${userId}-${digest}.webp`;
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${fileName}.tmp`);
    await writeFile(tmp, encoded);
    await rename(tmp, join(this.dir, fileName));
    return fileName;
  }

  async read(fileName: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.dir, fileName));
    } catch {
      return null;
    }
  }

  async remove(fileName: string): Promise<void> {
    await unlink(join(this.dir, fileName)).catch(() => undefined);
  }
}
