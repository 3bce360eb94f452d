import { Writable } from "node:stream";

/** A stream that keeps every log line written to it, for tests that check what is (never) logged. */
export function logCollector() {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
