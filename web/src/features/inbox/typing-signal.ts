/** While keys keep coming, "typing" is re-sent this often (the hub forgets it after 6 s). */
export const TYPING_REFRESH_MS = 2_000;
/** This long without a keystroke ends the signal. */
export const TYPING_IDLE_MS = 3_000;

export type TypingFrame = boolean | null;

/**
 * Turns keystrokes into throttled typing signals: `keystroke` answers true when a "typing" frame is
 * due, `tick` answers false once the keys stopped long enough, and null means "send nothing".
 */
export class TypingSignal {
  private sentAt: number | null = null;
  private lastKeyAt = 0;

  keystroke(now: number): TypingFrame {
    this.lastKeyAt = now;
    if (this.sentAt !== null && now - this.sentAt < TYPING_REFRESH_MS) return null;
    this.sentAt = now;
    return true;
  }

  tick(now: number): TypingFrame {
    if (this.sentAt === null || now - this.lastKeyAt < TYPING_IDLE_MS) return null;
    this.sentAt = null;
    return false;
  }

  /** Sent, cleared or left the conversation: stop at once if a signal is live. */
  stop(): TypingFrame {
    if (this.sentAt === null) return null;
    this.sentAt = null;
    return false;
  }

  get active(): boolean {
    return this.sentAt !== null;
  }
}
