import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { checkKey, TooLarge, type StorageDriver } from "./storage.js";

/**
 * Files on a local (or shared network) disk. A write goes to a temporary file first and is renamed
 * into place when complete, so a reader never sees half a file, even from another process.
 */
export function diskStorage(root: string): StorageDriver {
  const file = (key: string) => path.join(root, checkKey(key));
  return {
    async put(key, data, { maxBytes }) {
      const target = file(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString("hex")}.part`;
      let size = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new TooLarge(maxBytes));
          done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.from(data), limit, createWriteStream(temp, { mode: 0o640 }));
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      return { size };
    },
    async get(key, range) {
      return createReadStream(file(key), range ? { start: range.start, end: range.end } : {});
    },
    async size(key) {
      try {
        return (await stat(file(key))).size;
      } catch {
        return null;
      }
    },
    async delete(key) {
      await rm(file(key), { force: true });
    },
  };
}
