import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkImportUrl, hostRefusal, parseIpv4, parseIpv6 } from "../../worker/media/ssrf";
import { countRows } from "../helpers/d1";
import { createWorkspace, makeClient, problemOf, signUp } from "../helpers/client";

describe("SSRF guard (unit)", () => {
  it.each([
    ["127.0.0.1", 0x7f000001],
    ["2130706433", 0x7f000001],
    ["0x7f000001", 0x7f000001],
    ["0x7F.0.0.1", 0x7f000001],
    ["0177.0.0.1", 0x7f000001],
    ["127.1", 0x7f000001],
    ["127.0.1", 0x7f000001],
    ["10.0x10.0.1", 0x0a100001],
    ["1.2.3.4.", 0x01020304],
  ])("parses the IPv4 spelling %s", (text, value) => {
    expect(parseIpv4(text)).toBe(value);
  });

  it("does not take names or out-of-range numbers for IPv4", () => {
    for (const text of ["example.com", "1.2.3.256", "4294967296", "08.1.1.1", "1.2.3.4.5", ""]) expect(parseIpv4(text)).toBeNull();
  });

  it("parses IPv6 with :: and embedded IPv4", () => {
    expect(parseIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIpv6("2001:db8::8a2e:370:7334")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0x8a2e, 0x370, 0x7334]);
    expect(parseIpv6("1:2:3:4:5:6:7:8:9")).toBeNull();
  });

  it.each([
    "127.0.0.1", "[::1]", "169.254.169.254", "0x7f000001", "2130706433", "localhost.", "127.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
    "localhost", "LOCALHOST", "printer.local", "db.internal", "app.localhost", "intranet", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "100.64.0.1", "0.0.0.0", "0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "[fe80::1]", "[fd00::1]", "[fc00::abcd]",
    "[ff02::1]", "[::]", "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "[::127.0.0.1]", "192.0.2.10", "198.18.0.1",
  ])("refuses the host %s", (host) => {
    expect(hostRefusal(host)).not.toBeNull();
  });

  it.each(["example.com", "cdn.example.org", "8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]", "[::ffff:8.8.8.8]", "sandbox.test"])("allows the public host %s", (host) => {
    expect(hostRefusal(host)).toBeNull();
  });

  it("refuses other schemes and credentials in the URL", () => {
    expect(checkImportUrl("file:///etc/passwd")).toMatchObject({ ok: false });
    expect(checkImportUrl("ftp://example.com/a.png")).toMatchObject({ ok: false });
    expect(checkImportUrl("gopher://example.com/")).toMatchObject({ ok: false });
    expect(checkImportUrl("https://user:pw@example.com/a.png")).toMatchObject({ ok: false });
    expect(checkImportUrl("https://example.com/a.png")).toMatchObject({ ok: true });
  });
});

async function workspaceWithOwner() {
  const client = makeClient();
  const owner = await signUp(client);
  const workspace = await createWorkspace(client, owner);
  return { client, owner, workspace };
}

const storedObjects = async (workspaceId: string) => (await env.MEDIA.list({ prefix: `ws/${workspaceId}/media/` })).objects.length;

describe("POST /media/import", () => {
  it.each([
    "http://127.0.0.1/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://localhost./",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "file:///etc/passwd",
    "http://10.0.0.1:8080/admin",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://sandbox.test/media.example/to?url=http://169.254.169.254/latest/meta-data",
    "http://sandbox.test/media.example/to?url=http://[::1]:9000/",
  ])("refuses %s with a 400 problem and stores nothing", async (url) => {
    const { client, owner, workspace } = await workspaceWithOwner();
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/media/import`, { cookie: owner.cookie, body: { url } });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: "/problems/validation", errors: [{ path: "url" }] });
    // Refused by the guard (first hop or redirect target), not because the server failed.
    expect(problem.detail).toMatch(/IPv4|IPv6|local|http and https/);
    expect(await countRows("workspaces", "id = ?", workspace.id)).toBe(1);
    expect(await storedObjects(workspace.id)).toBe(0);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM media WHERE workspace_id = ?").bind(workspace.id).first<{ n: number }>())?.n).toBe(0);
  });

  it("imports a public image, following a redirect, and inspects it from its bytes", async () => {
    const { client, owner, workspace } = await workspaceWithOwner();
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/media/import`, { cookie: owner.cookie, body: { url: "http://sandbox.test/media.example/to-photo" } });
    expect(response.status).toBe(201);
    const media = (await response.json()) as { id: string; name: string; mimeType: string; width: number; height: number; status: string };
    expect(media).toMatchObject({ name: "photo.png", mimeType: "image/png", width: 3, height: 2, status: "ready" });
    expect(await storedObjects(workspace.id)).toBe(1);
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE workspace_id = ? AND action = 'media.uploaded'").bind(workspace.id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ via: "import", url: "http://sandbox.test/media.example/photo.png" });
  });

  it("follows at most 5 redirects", async () => {
    const { client, owner, workspace } = await workspaceWithOwner();
    const chain = (depth: number): string => (depth === 0 ? "http://sandbox.test/media.example/photo.png" : `http://sandbox.test/media.example/to?url=${encodeURIComponent(chain(depth - 1))}`);
    const five = await client.call("POST", `/api/workspaces/${workspace.id}/media/import`, { cookie: owner.cookie, body: { url: chain(5) } });
    expect(five.status).toBe(201);
    const six = await client.call("POST", `/api/workspaces/${workspace.id}/media/import`, { cookie: owner.cookie, body: { url: chain(6) } });
    expect(six.status).toBe(400);
    expect((await problemOf(six)).detail).toContain("more than 5 times");
    expect(await storedObjects(workspace.id)).toBe(1);
  });

  it("refuses a file whose bytes are not media (415), whatever its Content-Type", async () => {
    const { client, owner, workspace } = await workspaceWithOwner();
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/media/import`, { cookie: owner.cookie, body: { url: "http://sandbox.test/media.example/notes.txt" } });
    expect(response.status).toBe(415);
    expect(await storedObjects(workspace.id)).toBe(0);
  });

  it("aborts a download that grows past the workspace's file limit, keeping nothing", async () => {
    const { client, owner, workspace } = await workspaceWithOwner();
    await env.DB.prepare("UPDATE workspaces SET media_max_file_bytes = ? WHERE id = ?").bind(1024 * 1024, workspace.id).run();
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/media/import`, { cookie: owner.cookie, body: { url: "http://sandbox.test/media.example/big.png?bytes=3000000" } });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).detail).toContain("1 MB");
    expect(await storedObjects(workspace.id)).toBe(0);
  });
});
