/**
 * What the messages of one queue batch share while their handlers run side by side: a lookup made
 * once for all of them instead of once each, and summaries logged once when the batch is done (a
 * burst of a hundred webhook entries should cost one query and one log line, not a hundred).
 */
export class BatchScope {
  private readonly values = new Map<string, unknown>();
  private readonly finishers: (() => void)[] = [];

  /** The batch's one instance of something, created by the first message that asks for it. */
  share<T>(key: string, create: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = create();
    this.values.set(key, value);
    return value;
  }

  /** Runs once every message of the batch has been handled (acked or retried). */
  onFinish(finisher: () => void): void {
    this.finishers.push(finisher);
  }

  finish(): void {
    for (const finisher of this.finishers.splice(0)) {
      try {
        finisher();
      } catch (error) {
        console.error(JSON.stringify({ msg: "queue batch summary failed", error: String(error) }));
      }
    }
  }
}
