/** API URLs for stored images; the version query changes on every upload so caches never show a stale one. */
export function avatarUrl(user: { id: string; avatarKey: string | null; avatarUpdatedAt: number | null }): string | null {
  return user.avatarKey ? `/api/users/${user.id}/avatar?v=${user.avatarUpdatedAt ?? 0}` : null;
}

export function logoUrl(workspace: { id: string; logoKey: string | null; logoUpdatedAt: number | null }): string | null {
  return workspace.logoKey ? `/api/workspaces/${workspace.id}/logo?v=${workspace.logoUpdatedAt ?? 0}` : null;
}

export function appOrigin(requestUrl: string, env: Env): string {
  return env.APP_ORIGIN ? new URL(env.APP_ORIGIN).origin : new URL(requestUrl).origin;
}
