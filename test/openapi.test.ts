import { describe, expect, it } from "vitest";
import { createApp } from "../worker/app";
import { makeClient, problemOf } from "./helpers/client";

type Operation = { requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, { content?: Record<string, unknown> }>; parameters?: { name: string; in: string }[] };
type Document = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

async function fetchDocument(): Promise<Document> {
  const response = await makeClient().call("GET", "/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return (await response.json()) as Document;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function operationsOf(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => HTTP_METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with the session cookie scheme", async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Atelier API", version: expect.any(String) });
    expect(doc.components.securitySchemes).toEqual({ session: { type: "apiKey", in: "cookie", name: "__Host-atelier_session" } });
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      for (const [method, operation] of Object.entries(item)) {
        expect(HTTP_METHODS, `${method} ${path}`).toContain(method);
        expect(Object.keys(operation.responses).length, `${method} ${path} documents its responses`).toBeGreaterThan(0);
        // Every {param} in the path is declared as a path parameter.
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(declared.sort(), `${method} ${path} path parameters`).toEqual(inPath.sort());
      }
    }
  });

  it("lists every API route", async () => {
    const doc = await fetchDocument();
    expect(operationsOf(doc).sort()).toEqual(
      [
        "GET /api/config",
        "POST /api/auth/signup",
        "POST /api/auth/login",
        "POST /api/auth/logout",
        "GET /api/me",
        "PATCH /api/me",
        "PUT /api/me/avatar",
        "DELETE /api/me/avatar",
        "POST /api/me/password",
        "GET /api/users/{userId}/avatar",
        "GET /api/invites/{token}",
        "POST /api/invites/{token}/accept",
        "GET /api/workspaces",
        "POST /api/workspaces",
        "GET /api/workspaces/{id}",
        "PATCH /api/workspaces/{id}",
        "DELETE /api/workspaces/{id}",
        "PUT /api/workspaces/{id}/logo",
        "GET /api/workspaces/{id}/logo",
        "DELETE /api/workspaces/{id}/logo",
        "GET /api/workspaces/{id}/members",
        "PATCH /api/workspaces/{id}/members/{userId}",
        "DELETE /api/workspaces/{id}/members/{userId}",
        "POST /api/workspaces/{id}/leave",
        "GET /api/workspaces/{id}/invites",
        "POST /api/workspaces/{id}/invites",
        "DELETE /api/workspaces/{id}/invites/{inviteId}",
        "GET /api/workspaces/{id}/audit",
        "GET /api/workspaces/{id}/live",
        "GET /api/workspaces/{id}/platforms",
        "GET /api/workspaces/{id}/connections",
        "POST /api/workspaces/{id}/connections/{platform}/authorize",
        "GET /api/workspaces/{id}/connections/pending/{grantId}",
        "POST /api/workspaces/{id}/connections/pending/{grantId}",
        "POST /api/workspaces/{id}/connections/{connectionId}/reconnect",
        "GET /api/workspaces/{id}/connections/{connectionId}/tiktok/creator-info",
        "POST /api/workspaces/{id}/connections/{connectionId}/refresh",
        "DELETE /api/workspaces/{id}/connections/{connectionId}",
        "GET /api/workspaces/{id}/media",
        "POST /api/workspaces/{id}/media",
        "POST /api/workspaces/{id}/media/import",
        "GET /api/workspaces/{id}/media/{mid}",
        "PATCH /api/workspaces/{id}/media/{mid}",
        "DELETE /api/workspaces/{id}/media/{mid}",
        "GET /api/workspaces/{id}/media/{mid}/content",
        "GET /api/workspaces/{id}/media/{mid}/poster",
        "PUT /api/workspaces/{id}/media/{mid}/poster",
        "POST /api/workspaces/{id}/media/{mid}/public-url",
        "POST /api/workspaces/{id}/media/uploads",
        "GET /api/workspaces/{id}/media/uploads/{mid}",
        "DELETE /api/workspaces/{id}/media/uploads/{mid}",
        "PUT /api/workspaces/{id}/media/uploads/{mid}/parts/{n}",
        "POST /api/workspaces/{id}/media/uploads/{mid}/complete",
        "GET /api/workspaces/{id}/posts",
        "POST /api/workspaces/{id}/posts",
        "POST /api/workspaces/{id}/posts/validate",
        "GET /api/workspaces/{id}/posts/{postId}",
        "PATCH /api/workspaces/{id}/posts/{postId}",
        "DELETE /api/workspaces/{id}/posts/{postId}",
        "POST /api/workspaces/{id}/posts/{postId}/publish-now",
        "POST /api/workspaces/{id}/posts/{postId}/duplicate",
        "POST /api/workspaces/{id}/posts/{postId}/targets/{targetId}/retry",
        "POST /api/workspaces/{id}/posts/{postId}/targets/{targetId}/resolve",
        "GET /api/workspaces/{id}/posts/{postId}/targets/{targetId}/youtube",
        "PATCH /api/workspaces/{id}/posts/{postId}/targets/{targetId}/youtube",
        "GET /api/workspaces/{id}/posts/{postId}/attempts",
        "GET /api/workspaces/{id}/notifications",
        "POST /api/workspaces/{id}/notifications/{notificationId}/dismiss",
        "GET /api/workspaces/{id}/inbox/rules",
        "POST /api/workspaces/{id}/inbox/rules",
        "PATCH /api/workspaces/{id}/inbox/rules/{ruleId}",
        "DELETE /api/workspaces/{id}/inbox/rules/{ruleId}",
        "POST /api/workspaces/{id}/inbox/rules/dry-run",
        "GET /api/workspaces/{id}/inbox/rules/{ruleId}/hits",
        "GET /api/workspaces/{id}/inbox/saved-replies",
        "POST /api/workspaces/{id}/inbox/saved-replies",
        "PATCH /api/workspaces/{id}/inbox/saved-replies/{replyId}",
        "DELETE /api/workspaces/{id}/inbox/saved-replies/{replyId}",
        "GET /api/workspaces/{id}/inbox/conversations",
        "GET /api/workspaces/{id}/inbox/conversations/{conversationId}",
        "PATCH /api/workspaces/{id}/inbox/conversations/{conversationId}",
        "POST /api/workspaces/{id}/inbox/conversations/{conversationId}/claim",
        "DELETE /api/workspaces/{id}/inbox/conversations/{conversationId}/claim",
        "POST /api/workspaces/{id}/inbox/conversations/{conversationId}/notes",
        "POST /api/workspaces/{id}/inbox/conversations/{conversationId}/read",
        "POST /api/workspaces/{id}/inbox/conversations/{conversationId}/actions",
      ].sort(),
    );
  });

  it("documents exactly the routes the router serves", async () => {
    const doc = await fetchDocument();
    const served = createApp()
      .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1")}`);
    expect([...new Set(served)].sort()).toEqual(operationsOf(doc).sort());
  });

  it("describes the signup body with its constraints, refusing unknown fields", async () => {
    const doc = await fetchDocument();
    const body = doc.paths["/api/auth/signup"]?.post?.requestBody;
    expect(body?.required).toBe(true);
    expect(body?.content["application/json"]?.schema).toEqual({
      type: "object",
      properties: {
        email: expect.objectContaining({ type: "string", maxLength: 254 }),
        password: { type: "string", minLength: 10, maxLength: 200 },
        name: { type: "string", minLength: 1, maxLength: 80 },
      },
      required: ["email", "password", "name"],
      additionalProperties: false,
    });
    expect(Object.keys(doc.paths["/api/auth/signup"]?.post?.responses ?? {}).sort()).toEqual(["201", "400", "403", "409", "429"]);
    expect(doc.paths["/api/auth/signup"]?.post?.responses["409"]?.content).toHaveProperty(["application/problem+json"]);
  });

  it("documents image uploads by their accepted types", async () => {
    const doc = await fetchDocument();
    for (const path of ["/api/me/avatar", "/api/workspaces/{id}/logo"]) {
      expect(Object.keys(doc.paths[path]?.put?.requestBody?.content ?? {}).sort()).toEqual(["image/gif", "image/jpeg", "image/png", "image/webp"]);
    }
  });
});

describe("unknown API paths", () => {
  it.each([
    ["GET", "/api/nope"],
    ["POST", "/api/auth/nothing"],
    ["DELETE", "/api/me/password"],
  ])("%s %s answers a 404 problem", async (method, path) => {
    const response = await makeClient().call(method, path);
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/not-found", status: 404 });
  });
});
