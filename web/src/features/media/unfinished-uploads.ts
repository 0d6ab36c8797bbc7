/**
 * Multipart uploads that were still running when the tab closed, per workspace, so the person can pick
 * the same file again and send only the missing parts. A file is "the same" when its name, size and
 * lastModified all match: the browser gives no path or content hash without reading the whole file.
 */
export interface UnfinishedUpload {
  mediaId: string;
  name: string;
  size: number;
  lastModified: number;
  startedAt: string;
}

const key = (workspaceId: string) => `atelier.unfinished-uploads.${workspaceId}`;

function isUnfinished(value: unknown): value is UnfinishedUpload {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.mediaId === "string" && typeof v.name === "string" && typeof v.size === "number" && typeof v.lastModified === "number";
}

export function readUnfinished(workspaceId: string): UnfinishedUpload[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(workspaceId)) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isUnfinished) : [];
  } catch {
    return [];
  }
}

function write(workspaceId: string, list: UnfinishedUpload[]): void {
  try {
    if (list.length === 0) localStorage.removeItem(key(workspaceId));
    else localStorage.setItem(key(workspaceId), JSON.stringify(list));
  } catch {
    // Storage full or disabled: the upload still works, it just cannot resume after a reload.
  }
}

export function rememberUnfinished(workspaceId: string, entry: UnfinishedUpload): void {
  write(workspaceId, [...readUnfinished(workspaceId).filter((u) => u.mediaId !== entry.mediaId), entry]);
}

export function forgetUnfinished(workspaceId: string, mediaId: string): void {
  write(workspaceId, readUnfinished(workspaceId).filter((u) => u.mediaId !== mediaId));
}

export const sameFile = (u: Pick<UnfinishedUpload, "name" | "size" | "lastModified">, file: File): boolean =>
  u.name === file.name && u.size === file.size && u.lastModified === file.lastModified;
