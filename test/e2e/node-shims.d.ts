/*
 * The few Node APIs the e2e setup uses, declared here because @types/node is not a dependency.
 * Signatures are the subset we call, matching Node 22.
 */
declare module "node:fs/promises" {
  export function mkdtemp(prefix: string): Promise<string>;
  export function rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  export function writeFile(path: string, data: Uint8Array): Promise<void>;
}
declare module "node:os" {
  export function tmpdir(): string;
}
declare module "node:path" {
  export function join(...segments: string[]): string;
}
declare module "node:net" {
  interface Server {
    once(event: "error", listener: (error: Error) => void): this;
    listen(port: number, host: string, callback: () => void): this;
    close(callback?: () => void): this;
  }
  export function createServer(): Server;
}
declare const process: { env: Record<string, string | undefined> };
