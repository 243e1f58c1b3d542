// The Hono environment every emulator route shares: the state, the caller and per-request bookkeeping.
import type { Context, Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { EmulatorState } from "../state/state.js";
import type { EmuToken } from "../state/types.js";
import type { FaultInjector } from "./faults.js";
import type { RateLimiter } from "./rate-limit.js";

export interface Caller {
  kind: "token" | "app-jwt" | "anonymous";
  token: EmuToken | null;
  appId: number | null;
}

export interface EmuEnv {
  Bindings: HttpBindings;
  Variables: {
    caller: Caller;
    /** Rate-limit resource this request counts against (`core` unless a route says otherwise). */
    resource: string;
    /** Route template used for request counting (e.g. `GET /orgs/{org}/audit-log`). */
    routeName: string;
  };
}

export type EmuApp = Hono<EmuEnv>;
export type EmuContext = Context<EmuEnv>;

/** What route modules receive besides the app. */
export interface RouteDeps {
  state: EmulatorState;
  faults: FaultInjector;
  limiter: RateLimiter;
}
