/**
 * After an action whose button goes away (Retry once the channel is queued again, Post now once the
 * post is live), focus would fall to <body> and a keyboard user would start over at the top of the
 * page. Puts it on `fallbackId` instead, only when it was actually lost. The delay lets a closing
 * <dialog> hand focus back to its opener first (Preact runs that effect after paint).
 */
export function keepFocusNear(fallbackId: string): void {
  setTimeout(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    document.getElementById(fallbackId)?.focus();
  }, 100);
}
