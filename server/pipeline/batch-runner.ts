/**
 * Runs batches of keyed items (deliveries keyed by their conversation's thread), one batch at a time
 * while batches are quick, so each batch takes everything that arrived while the one before ran:
 * larger batches, less work per item. A batch that runs longer than `spillAfterMs` (a lock wait, a
 * slow delivery) lets another start beside it, up to `maxConcurrent`, with the items whose keys it
 * does not hold: one slow transaction does not stop every other thread.
 *
 * Order per key holds: an item is never taken while an earlier item of its key waits or runs.
 */
export type BatchRunnerOptions = { maxBatch: number; maxConcurrent: number; spillAfterMs: number };

type Running = { keys: Set<string>; startedAt: number };

export class BatchRunner<T> {
  private queue: Array<{ item: T; key: string }> = [];
  private readonly running = new Set<Running>();
  private starting = false;
  private spillTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: BatchRunnerOptions,
    /** Applies a batch; must not throw (failures are its items' business). */
    private readonly apply: (batch: T[]) => Promise<void>,
  ) {}

  push(item: T, key: string) {
    this.queue.push({ item, key });
    this.schedule();
  }

  /** Batches running now. */
  get active(): number {
    return this.running.size;
  }

  private schedule() {
    if (this.starting || this.queue.length === 0) return;
    // A batch starts on the next turn of the event loop, so it takes everything pushed in this one.
    this.starting = true;
    setImmediate(() => {
      this.starting = false;
      this.startWhatMay();
    });
  }

  private startWhatMay() {
    if (this.queue.length === 0 || this.running.size >= this.options.maxConcurrent) return;
    const now = Date.now();
    if (this.running.size > 0) {
      const youngest = Math.max(...[...this.running].map((r) => r.startedAt));
      const wait = youngest + this.options.spillAfterMs - now;
      if (wait > 0) return this.spillIn(wait);
    }
    const batch = this.take();
    if (batch.items.length === 0) return; // every waiting key is held by a running batch
    const running: Running = { keys: batch.keys, startedAt: now };
    this.running.add(running);
    void this.apply(batch.items).finally(() => {
      this.running.delete(running);
      this.schedule();
    });
    if (this.queue.length > 0) this.startWhatMay(); // arms the spill timer for what is left
  }

  /**
   * Up to maxBatch items in arrival order, but none of a key a running batch holds: those wait, with
   * every later item of their key, so a key's items are applied in order.
   */
  private take(): { items: T[]; keys: Set<string> } {
    const held = new Set<string>();
    for (const r of this.running) for (const k of r.keys) held.add(k);
    const items: T[] = [];
    const keys = new Set<string>();
    const left: typeof this.queue = [];
    for (const entry of this.queue) {
      if (items.length < this.options.maxBatch && !held.has(entry.key)) {
        items.push(entry.item);
        keys.add(entry.key);
      } else left.push(entry);
    }
    this.queue = left;
    return { items, keys };
  }

  private spillIn(ms: number) {
    if (this.spillTimer) return;
    this.spillTimer = setTimeout(() => {
      this.spillTimer = null;
      this.startWhatMay();
    }, ms);
    this.spillTimer.unref();
  }
}
