// Test support for the simulator and webhook tests: a hand-built world with alerts cloned from the spec's examples,
// and a real local webhook receiver that keeps raw bodies and headers.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { isoSeconds, ManualClock } from "../../core/clock.js";
import { FaultInjector } from "../http/faults.js";
import { seedAnalyses } from "../seed/alerts-code-scanning.js";
import { createRng } from "../seed/rng.js";
import { EmulatorState } from "../state/state.js";
import type {
  CodeScanningAlert,
  DependabotAlert,
  EmuOrg,
  EmuRepo,
  SecretScanningAlert,
  SecretScanningLocation,
} from "../state/types.js";
import { addApp, addOrg, addRepo } from "../testing/fixture.js";
import { WebhookSender, type WebhookTargetOptions } from "../webhooks/sender.js";
import { installAlertSideEffects, type SideEffectOptions } from "./side-effects.js";

const require = createRequire(import.meta.url);
type Examples = Record<string, { value: unknown }>;
let examples: Examples | null = null;

/** `components.examples[name].value` of ghec.json, deep-cloned. */
export function specExample<T>(name: string): T {
  examples ??= (require("@octokit/openapi/generated/ghec.json") as { components: { examples: Examples } }).components.examples;
  const ex = examples[name];
  if (!ex) throw new Error(`ghec.json has no example ${name}`);
  return structuredClone(ex.value) as T;
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer with; `hang` never answers (for timeout tests). */
  respond: number | "hang";
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const receiver = { received, respond: 204 as number | "hang" } as Receiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      if (receiver.respond !== "hang") res.writeHead(receiver.respond).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface TestWorld {
  state: EmulatorState;
  clock: ManualClock;
  faults: FaultInjector;
  webhooks: WebhookSender;
  org: EmuOrg;
  repo: EmuRepo;
}

export interface WorldOptions {
  enterprise?: boolean;
  installation?: boolean;
  hooks?: WebhookTargetOptions[];
  sideEffects?: SideEffectOptions;
  timeoutMs?: number;
}

export const START = Date.UTC(2026, 5, 1, 12, 0, 0);

/** State with a frozen clock, one org (owner1, sec1, dev1) and one private repo `acme/api`, side effects installed. */
export function buildWorld(options: WorldOptions = {}): TestWorld {
  const clock = new ManualClock({ start: START, frozen: true });
  const state = new EmulatorState(clock);
  state.baseUrl = "http://127.0.0.1:9";
  if (options.enterprise) state.addEnterprise({ slug: "acme-ent", id: 4242, name: "Acme Enterprise", owners: ["owner1"] });
  const org = addOrg(state, "acme", options.enterprise ? { enterprise: "acme-ent" } : {});
  const repo = addRepo(state, "acme", "api");
  seedAnalyses(state, repo, createRng(3), state.now());
  if (options.installation) addApp(state, "acme");
  const faults = new FaultInjector({ seed: 7 });
  // One delivery at a time, so tests see webhooks in event order (GitHub itself does not promise any order).
  const webhooks = new WebhookSender(state, options.hooks ?? [], { concurrency: 1, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  installAlertSideEffects(state, webhooks, faults, options.sideEffects);
  return { state, clock, faults, webhooks, org, repo };
}

function urls(state: EmulatorState, repo: EmuRepo, kind: string, n: number) {
  return { url: `${state.baseUrl}/repos/${repo.fullName}/${kind}/alerts/${n}`, html_url: `${state.baseUrl}/${repo.fullName}/security/${kind}/${n}` };
}

/** An open code scanning alert cloned from the spec's `code-scanning-alert` example. */
export function addCodeScanningAlert(state: EmulatorState, repo: EmuRepo): CodeScanningAlert {
  const n = repo.next.codeScanning++;
  const alert = specExample<CodeScanningAlert>("code-scanning-alert");
  Object.assign(alert, urls(state, repo, "code-scanning", n), {
    number: n,
    created_at: isoSeconds(state.now() - 86_400_000),
    updated_at: isoSeconds(state.now() - 86_400_000),
    instances_url: `${state.baseUrl}/repos/${repo.fullName}/code-scanning/alerts/${n}/instances`,
    state: "open",
    dismissed_by: null,
    dismissed_at: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
  });
  alert.most_recent_instance.state = "open";
  repo.codeScanning.push({ alert, instances: [structuredClone(alert.most_recent_instance)] });
  return alert;
}

export function addDependabotAlert(state: EmulatorState, repo: EmuRepo, patch: Partial<DependabotAlert> = {}): DependabotAlert {
  const n = repo.next.dependabot++;
  const alert = specExample<DependabotAlert>("dependabot-alert-open");
  // The spec's example writes epss.percentile as the string "0.16001e0" although the schema says number.
  const epss = (alert.security_advisory as { epss?: { percentile?: number | string } | null }).epss;
  if (typeof epss?.percentile === "string") epss.percentile = Number(epss.percentile);
  Object.assign(alert, urls(state, repo, "dependabot", n), { number: n }, patch);
  repo.dependabot.push(alert);
  return alert;
}

export function addSecretAlert(state: EmulatorState, repo: EmuRepo): SecretScanningAlert {
  const n = repo.next.secretScanning++;
  const alert = specExample<SecretScanningAlert>("secret-scanning-alert-open");
  Object.assign(alert, urls(state, repo, "secret-scanning", n), {
    number: n,
    locations_url: `${state.baseUrl}/repos/${repo.fullName}/secret-scanning/alerts/${n}/locations`,
    updated_at: alert.created_at,
  });
  const locations = specExample<SecretScanningLocation[]>("secret-scanning-location-list").slice(0, 1);
  repo.secretScanning.push({ alert, locations });
  return alert;
}

