import { describe, expect, it } from "vitest";
import type { ClientFrame } from "../../worker/contracts/live";
import { InboxChannel, TYPING_TTL_MS } from "../../web/src/live/inbox-channel.ts";
import { listNames, presenceText } from "../../web/src/features/inbox/presence-text.ts";
import { TYPING_IDLE_MS, TYPING_REFRESH_MS, TypingSignal } from "../../web/src/features/inbox/typing-signal.ts";

const ME = "user_me_000001";
const names = new Map([
  ["user_ana_00001", "Ana"],
  ["user_bo_000001", "Bo"],
  ["user_cy_000001", "Cy"],
  ["user_di_000001", "Di"],
]);

describe("presence sentences", () => {
  it("lists names the way people write them", () => {
    expect(listNames([])).toBe("");
    expect(listNames(["Ana"])).toBe("Ana");
    expect(listNames(["Ana", "Bo"])).toBe("Ana and Bo");
    expect(listNames(["Ana", "Bo", "Cy"])).toBe("Ana, Bo and 1 other");
    expect(listNames(["Ana", "Bo", "Cy", "Di"])).toBe("Ana, Bo and 2 others");
  });

  it("leaves the reader out, and says who views and who types", () => {
    expect(presenceText([{ userId: ME, typing: true }], ME, names)).toEqual({ viewing: null, typing: null, viewerIds: [] });
    const text = presenceText(
      [
        { userId: ME, typing: false },
        { userId: "user_ana_00001", typing: true },
        { userId: "user_bo_000001", typing: false },
      ],
      ME,
      names,
    );
    expect(text).toEqual({ viewing: "Ana and Bo are viewing", typing: "Ana is typing…", viewerIds: ["user_ana_00001", "user_bo_000001"] });
    expect(presenceText([{ userId: "user_zz_000001", typing: true }], ME, names).typing).toBe("A teammate is typing…");
  });
});

describe("typing signal throttle", () => {
  it("sends typing once per refresh period while keys come, and stops after a pause", () => {
    const signal = new TypingSignal();
    expect(signal.keystroke(0)).toBe(true);
    expect(signal.keystroke(500)).toBeNull();
    expect(signal.keystroke(TYPING_REFRESH_MS - 1)).toBeNull();
    expect(signal.keystroke(TYPING_REFRESH_MS)).toBe(true);
    expect(signal.tick(TYPING_REFRESH_MS + TYPING_IDLE_MS - 1)).toBeNull();
    expect(signal.tick(TYPING_REFRESH_MS + TYPING_IDLE_MS)).toBe(false);
    expect(signal.active).toBe(false);
    expect(signal.tick(100_000)).toBeNull();
  });

  it("stops at once on send, and only when a signal is live", () => {
    const signal = new TypingSignal();
    expect(signal.stop()).toBeNull();
    signal.keystroke(0);
    expect(signal.stop()).toBe(false);
    expect(signal.keystroke(10)).toBe(true);
  });
});

describe("the inbox live channel", () => {
  function channelAt() {
    const clock = { now: 1_000 };
    const channel = new InboxChannel(() => clock.now);
    const sent: ClientFrame[] = [];
    return { clock, channel, sent, sender: (f: ClientFrame) => sent.push(f) };
  }

  it("tells a new socket what this tab views, and forgets presence the old socket knew", () => {
    const { channel, sent, sender } = channelAt();
    channel.view("conv_0000000001");
    expect(sent).toEqual([]);
    channel.attach(sender);
    expect(sent).toEqual([{ type: "inbox.viewing", conversationId: "conv_0000000001" }]);
    channel.receivePresence("conv_0000000001", [{ userId: "user_ana_00001", typing: false }]);
    channel.detach();
    expect(channel.viewersOf("conv_0000000001")).toEqual([]);
    channel.attach(sender);
    expect(sent).toHaveLength(2);
  });

  it("sends typing only for the conversation it views, and viewing changes once", () => {
    const { channel, sent, sender } = channelAt();
    channel.attach(sender);
    channel.typing("conv_0000000001", true);
    expect(sent).toEqual([]);
    channel.view("conv_0000000001");
    channel.view("conv_0000000001");
    channel.typing("conv_0000000001", true);
    channel.view(null);
    expect(sent).toEqual([
      { type: "inbox.viewing", conversationId: "conv_0000000001" },
      { type: "inbox.typing", conversationId: "conv_0000000001", typing: true },
      { type: "inbox.viewing", conversationId: null },
    ]);
  });

  it("shows typing until the TTL passes without a refresh, and notifies subscribers", () => {
    const { clock, channel } = channelAt();
    let changes = 0;
    const unsubscribe = channel.subscribe(() => changes++);
    channel.receivePresence("conv_0000000001", [{ userId: "user_ana_00001", typing: true }]);
    expect(channel.viewersOf("conv_0000000001")).toEqual([{ userId: "user_ana_00001", typing: true }]);
    clock.now += TYPING_TTL_MS;
    expect(channel.viewersOf("conv_0000000001")).toEqual([{ userId: "user_ana_00001", typing: false }]);
    channel.receivePresence("conv_0000000001", []);
    expect(channel.viewersOf("conv_0000000001")).toEqual([]);
    unsubscribe();
    channel.receivePresence("conv_0000000001", [{ userId: "user_ana_00001", typing: false }]);
    expect(changes).toBe(2);
  });
});
