import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { mediaApi } from "../../api/media.ts";
import { UploadTask, type UploadSnapshot } from "./upload-task.ts";
import { type UnfinishedUpload, forgetUnfinished, readUnfinished, sameFile } from "./unfinished-uploads.ts";

/**
 * The page's uploads: running tasks plus the multipart uploads a closed tab left unfinished. Choosing
 * a file that matches an unfinished one resumes it instead of starting over.
 */
export function useUploads(workspaceId: string, onUploaded: (media: Media) => void) {
  const tasks = useRef(new Map<string, UploadTask>());
  const [rows, setRows] = useState<UploadSnapshot[]>([]);
  const [unfinished, setUnfinished] = useState<UnfinishedUpload[]>(() => readUnfinished(workspaceId));
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;

  const render = useCallback(() => setRows([...tasks.current.values()].map((t) => t.snapshot)), []);
  const refreshUnfinished = useCallback(() => {
    const active = new Set([...tasks.current.values()].map((t) => t.serverId));
    setUnfinished(readUnfinished(workspaceId).filter((u) => !active.has(u.mediaId)));
  }, [workspaceId]);

  // Leaving the page stops the requests in flight; multipart uploads can be resumed from the Resume rows.
  useEffect(() => () => tasks.current.forEach((t) => t.pause()), []);

  // Closing the tab mid-upload asks first (the browser shows its own generic wording).
  const busy = rows.some((r) => r.phase === "uploading" || r.phase === "processing");
  useEffect(() => {
    if (!busy) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [busy]);

  const add = useCallback(
    (files: Iterable<File>) => {
      const waiting = readUnfinished(workspaceId);
      const taken = new Set<string>();
      for (const file of files) {
        const match = waiting.find((u) => !taken.has(u.mediaId) && sameFile(u, file));
        if (match) taken.add(match.mediaId);
        const task = new UploadTask(
          workspaceId,
          file,
          () => {
            render();
            if (task.snapshot.phase === "done" || task.snapshot.phase === "cancelled") refreshUnfinished();
          },
          (media) => uploaded.current(media),
          match?.mediaId ?? null,
        );
        tasks.current.set(task.id, task);
        task.start();
      }
      setUnfinished((list) => list.filter((u) => !taken.has(u.mediaId)));
      render();
    },
    [workspaceId, render, refreshUnfinished],
  );

  const task = (id: string) => tasks.current.get(id);
  const dismiss = (id: string) => {
    tasks.current.delete(id);
    render();
  };
  const discard = async (u: UnfinishedUpload) => {
    forgetUnfinished(workspaceId, u.mediaId);
    setUnfinished((list) => list.filter((x) => x.mediaId !== u.mediaId));
    await mediaApi.abortUpload(workspaceId, u.mediaId).catch(() => undefined);
  };

  return {
    rows,
    unfinished,
    add,
    pause: (id: string) => task(id)?.pause(),
    resume: (id: string) => task(id)?.resume(),
    cancel: (id: string) => void task(id)?.cancel(),
    dismiss,
    discard,
  };
}
