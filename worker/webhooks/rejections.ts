/**
 * The only trace a refused delivery leaves: a per-source, per-UTC-day counter and one log line. The
 * body is never stored or logged (it is untrusted, and may be personal data someone replayed).
 */
export async function countRejection(db: D1Database, source: string, at: number, log: Record<string, unknown>): Promise<void> {
  const day = new Date(at).toISOString().slice(0, 10);
  console.warn(JSON.stringify({ msg: "webhook rejected", source, ...log }));
  try {
    await db
      .prepare("INSERT INTO webhook_rejections (source, day, count) VALUES (?, ?, 1) ON CONFLICT (source, day) DO UPDATE SET count = count + 1")
      .bind(source, day)
      .run();
  } catch (error) {
    console.error(JSON.stringify({ msg: "webhook rejection counter failed", source, day, error: String(error) }));
  }
}
