import { beforeEach, describe, expect, it } from "vitest";
import { TiktokCreatorInfo } from "../../worker/contracts/tiktok";
import { problemOf } from "../helpers/client";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { addFault, expectSentence } from "../helpers/oauth-flow";
import { channel, memberWithRole, ownerWithWorkspace } from "../posts/fixtures";
import { creatorSettings } from "../publishing/tiktok-fixtures";

const path = (workspaceId: string, connectionId: string) => `/api/workspaces/${workspaceId}/connections/${connectionId}/tiktok/creator-info`;

async function tiktokWorkspace() {
  const base = await ownerWithWorkspace();
  const connectionId = await channel(base.client, base.owner, base.workspace.id, "tiktok");
  return { ...base, connectionId };
}

beforeEach(async () => {
  await creatorSettings({ reset: true, dailyPostCap: 1000 });
  // A fresh minute for creator_info's 20 calls per token.
  await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: 61_000 }) });
});

describe("GET …/tiktok/creator-info", () => {
  it("answers the sandbox creator's current posting options", async () => {
    const { client, owner, workspace, connectionId } = await tiktokWorkspace();
    const since = await lastCallId();
    const response = await client.call("GET", path(workspace.id, connectionId), { cookie: owner.cookie });
    expect(response.status).toBe(200);
    const body = TiktokCreatorInfo.parse(await response.json());
    expect(body).toEqual({
      nickname: "Sam Sandbox",
      username: "samsandbox",
      avatarUrl: expect.stringMatching(/^https:\/\//) as unknown as string,
      privacyLevelOptions: ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
      commentDisabled: false,
      duetDisabled: false,
      stitchDisabled: true,
      maxVideoPostDurationSec: 600,
      canPost: true,
      cannotPostReason: null,
      directPostAvailable: true,
    });
    expect((await sandboxCalls("tiktok", since)).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /v2/post/publish/creator_info/query/"]);
  });

  it("reflects the creator's own limits (private account, shorter videos)", async () => {
    const { client, owner, workspace, connectionId } = await tiktokWorkspace();
    await creatorSettings({ privateAccount: true, maxVideoPostDurationSec: 180, commentDisabled: true });
    const body = TiktokCreatorInfo.parse(await (await client.call("GET", path(workspace.id, connectionId), { cookie: owner.cookie })).json());
    expect(body).toMatchObject({ privacyLevelOptions: ["MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"], maxVideoPostDurationSec: 180, commentDisabled: true });
  });

  it("lets a viewer read it", async () => {
    const { client, owner, workspace, connectionId } = await tiktokWorkspace();
    const viewer = await memberWithRole(client, workspace.id, owner, "viewer");
    const response = await client.call("GET", path(workspace.id, connectionId), { cookie: viewer.cookie });
    expect(response.status).toBe(200);
    expect(TiktokCreatorInfo.parse(await response.json()).nickname).toBe("Sam Sandbox");
  });

  it("says when the creator cannot post right now, in words", async () => {
    const { client, owner, workspace, connectionId } = await tiktokWorkspace();
    await creatorSettings({ dailyPostCap: 0 });
    const response = await client.call("GET", path(workspace.id, connectionId), { cookie: owner.cookie });
    expect(response.status).toBe(200);
    const body = TiktokCreatorInfo.parse(await response.json());
    expect(body).toMatchObject({ canPost: false, nickname: "Sam Sandbox", directPostAvailable: true });
    expectSentence(body.cannotPostReason ?? "");
    expect(body.cannotPostReason).toMatch(/daily limit/);
  });

  it("answers 404 for another workspace's connection and for a connection that is not TikTok", async () => {
    const mine = await tiktokWorkspace();
    const other = await tiktokWorkspace();
    const foreign = await mine.client.call("GET", path(mine.workspace.id, other.connectionId), { cookie: mine.owner.cookie });
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).type).toMatch(/not-found$/);
    // The other owner cannot reach it through their own workspace id either.
    expect((await other.client.call("GET", path(mine.workspace.id, mine.connectionId), { cookie: other.owner.cookie })).status).toBe(404);
    const threads = await channel(mine.client, mine.owner, mine.workspace.id, "threads");
    const notTiktok = await mine.client.call("GET", path(mine.workspace.id, threads), { cookie: mine.owner.cookie });
    expect(notTiktok.status).toBe(404);
  });

  it("answers 502 with TikTok's reason when TikTok fails, and 409 when the account must be reconnected", async () => {
    const { client, owner, workspace, connectionId } = await tiktokWorkspace();
    await addFault({ platform: "tiktok", method: "POST", path: "/v2/post/publish/creator_info/query/", status: 500, body: { data: {}, error: { code: "internal", message: "Something broke.", log_id: "x" } } });
    const failed = await client.call("GET", path(workspace.id, connectionId), { cookie: owner.cookie });
    expect(failed.status).toBe(502);
    const problem = await problemOf(failed);
    expect(problem.type).toMatch(/platform-refused$/);
    expect(problem.detail).toContain("Something broke.");

    // TikTok revokes the grant: the token is refused, the refresh too → reconnect.
    // Only this test's grant (the newest TikTok grant), so other tests' connections keep working.
    const { grants } = (await (await fetch(`${SANDBOX}/_sandbox/grants?platform=tiktok`)).json()) as { grants: { id: string; created_at: number }[] };
    const newest = grants.reduce((a, b) => (b.created_at > a.created_at ? b : a));
    const revoked = await fetch(`${SANDBOX}/_sandbox/tokens/revoke`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grantId: newest.id }) });
    expect(revoked.status).toBe(200);
    const gone = await client.call("GET", path(workspace.id, connectionId), { cookie: owner.cookie });
    expect(gone.status).toBe(409);
    expectSentence((await problemOf(gone)).detail);
  });
});
