// `ghaudit emulator`: the offline GitHub, for the demo, for tests and for trying ghaudit without an account.
import { Command, InvalidArgumentError, Option } from "commander";
import { startEmulator, type EmulatorOptions } from "../emulator/server.js";
import { FAULT_KINDS, type FaultKind } from "../emulator/http/faults.js";

const SIZES = ["tiny", "small", "demo", "large", "huge"] as const;

function int(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${value}"`);
    return n;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`must be between 0 and 1, got "${value}"`);
  return n;
}

function faultKinds(value: string): FaultKind[] {
  const kinds = value.split(",").map((k) => k.trim());
  for (const k of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) {
      throw new InvalidArgumentError(`unknown fault kind "${k}" (known: ${FAULT_KINDS.join(", ")})`);
    }
  }
  return kinds as FaultKind[];
}

export interface EmulatorCliOptions {
  port: number;
  host: string;
  seed: number;
  size: (typeof SIZES)[number];
  auditEvents?: number;
  activityInterval?: number;
  webhookUrl?: string[];
  webhookSecret?: string;
  faultRate?: number;
  faultKinds?: FaultKind[];
  lateAuditRate?: number;
  frozenClock?: boolean;
  json?: boolean;
}

export function emulatorOptionsFrom(opts: EmulatorCliOptions): EmulatorOptions {
  return {
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    size: opts.auditEvents !== undefined ? { auditEvents: opts.auditEvents } : opts.size,
    frozenClock: opts.frozenClock ?? false,
    ...(opts.activityInterval ? { activityIntervalMs: opts.activityInterval } : {}),
    webhooks: (opts.webhookUrl ?? []).map((url) => ({ url, secret: opts.webhookSecret ?? null })),
    faults: {
      rate: opts.faultRate ?? 0,
      ...(opts.faultKinds ? { kinds: opts.faultKinds } : {}),
      lateAuditRate: opts.lateAuditRate ?? 0,
    },
  };
}

export function emulatorCommand(): Command {
  return new Command("emulator")
    .description("Run the GitHub emulator: a seeded organization behind GitHub's REST API, offline")
    .option("--port <n>", "port to listen on (0 = any free port)", int("--port"), 0)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--seed <n>", "seed of the generated world (same seed, same data)", int("--seed"), 42)
    .addOption(new Option("--size <size>", "size of the generated world").choices(SIZES).default("small"))
    .option("--audit-events <n>", "override the number of audit events", int("--audit-events"))
    .option("--activity-interval <ms>", "simulate activity (alerts dismissed, fixed, ...) every <ms>", int("--activity-interval"))
    .option("--webhook-url <url...>", "deliver signed webhooks to these URLs")
    .option("--webhook-secret <secret>", "secret used to sign webhook deliveries")
    .option("--fault-rate <p>", "probability that a request fails (see --fault-kinds)", fraction)
    .option("--fault-kinds <list>", `comma list of ${FAULT_KINDS.join(", ")}`, faultKinds)
    .option("--late-audit-rate <p>", "probability that a new audit event reaches the API late", fraction)
    .option("--frozen-clock", "time moves only through the control API (POST /_emulator/time)")
    .option("--json", "print the connection details as one JSON line")
    .action(async (opts: EmulatorCliOptions) => {
      const emulator = await startEmulator(emulatorOptionsFrom(opts));
      const world = emulator.world!;
      if (opts.json) {
        console.log(JSON.stringify({ url: emulator.url, token: emulator.token, orgs: world.orgs, enterprise: world.enterprise }));
      } else {
        console.log(`GitHub emulator listening on ${emulator.url}`);
        console.log(`  GITHUB_API_URL=${emulator.url}`);
        console.log(`  GITHUB_TOKEN=${emulator.token}`);
        console.log(`  orgs: ${world.orgs.join(", ")}${world.enterprise ? `  enterprise: ${world.enterprise}` : ""}`);
        console.log(`  control API: ${emulator.url}/_emulator/truth`);
      }
      await waitForSignal();
      await emulator.close();
    });
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
