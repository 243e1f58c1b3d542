// Test support for src/github: an empty emulator on a frozen clock, and a fake sleep that moves both the
// client's clock and the emulator's, so waits are observed (and take effect) without real time passing.
import { ManualClock } from "../core/clock.js";
import { Secret } from "../core/secret.js";
import { startEmulator, type Emulator } from "../emulator/server.js";
import { addOrg, addRepo, addToken } from "../emulator/testing/fixture.js";
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from "./client.js";

export const WORLD_START = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface TestWorld {
  emulator: Emulator;
  clock: ManualClock;
  /** Every wait the clients asked for, in ms, in order. */
  sleeps: number[];
  sleep(ms: number): Promise<void>;
  /** Moves both clocks without a client asking. */
  advance(ms: number): Promise<void>;
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  /** A classic token of acme's owner with every scope ghaudit uses. */
  ownerToken: string;
  client(options?: Partial<GitHubClientOptions>): GitHubClient;
  close(): Promise<void>;
}

export async function startTestWorld(): Promise<TestWorld> {
  const emulator = await startEmulator({ seedWorld: false, now: WORLD_START, frozenClock: true });
  const clock = new ManualClock({ start: WORLD_START, frozen: true });
  const sleeps: number[] = [];
  const control = async (path: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const advance = async (ms: number) => {
    const step = Math.ceil(ms);
    clock.advance(step);
    await control("/_emulator/time", { advanceMs: step });
  };
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    await advance(ms);
  };
  const { state } = emulator;
  addOrg(state, "acme");
  addRepo(state, "acme", "api");
  const ownerToken = addToken(state, { login: "owner1", kind: "classic", scopes: ["repo", "read:audit_log", "security_events", "admin:org"] });
  return {
    emulator,
    clock,
    sleeps,
    sleep,
    advance,
    control,
    ownerToken,
    client: (options = {}) =>
      createGitHubClient({ apiUrl: emulator.url, auth: { kind: "token", token: new Secret(ownerToken) }, clock, sleep, ...options }),
    close: () => emulator.close(),
  };
}
