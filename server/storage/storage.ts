import type { Readable } from "node:stream";
import { diskStorage } from "./disk-storage.js";

/** The bytes were more than the limit: nothing was kept. */
export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/**
 * Where attachment files live. Keys are Parley's (`<workspace>/<attachment id>`); drivers store bytes
 * and nothing else, so another driver (an object store) only has to implement these four calls.
 */
export type StorageDriver = {
  /** Stores a stream under the key, all or nothing; throws TooLarge past maxBytes. */
  put(key: string, data: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<{ size: number }>;
  /** The bytes, or an inclusive byte range of them. */
  get(key: string, range?: { start: number; end: number }): Promise<Readable>;
  /** The size in bytes, or null when nothing is stored under the key. */
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
};

/** The configured driver: files on disk under ATTACHMENTS_DIR (DATA_DIR/attachments by default). */
export function createStorage(config: { attachmentsDir: string }): StorageDriver {
  return diskStorage(config.attachmentsDir);
}

/** Attachment keys are ids Parley makes: anything else is refused before it can reach a path. */
export function checkKey(key: string): string {
  if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}$/.test(key)) throw new Error("invalid storage key");
  return key;
}
