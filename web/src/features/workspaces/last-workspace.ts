const KEY = "atelier:last-workspace";

export function rememberWorkspace(id: string): void {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    // Storage can be unavailable (private mode); the root route then falls back to the first workspace.
  }
}

export function lastWorkspace(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function forgetWorkspace(id: string): void {
  if (lastWorkspace() === id) {
    try {
      localStorage.removeItem(KEY);
    } catch {
      // see rememberWorkspace
    }
  }
}
