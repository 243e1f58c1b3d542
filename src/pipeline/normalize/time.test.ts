// Timestamps: every shape GitHub (and exports of its data) uses becomes ISO 8601 UTC with Z.
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { epochToMillis, isoFromMillis, latest, toIsoUtc, toMillisUtc } from "./time.js";

const ISO = "2020-12-02T17:24:34.512Z";

describe("toIsoUtc", () => {
  it("reads epoch milliseconds (the audit log's documented unit)", () => {
    assert.equal(toIsoUtc(1606929874512), ISO);
  });

  it("detects epoch seconds, microseconds and nanoseconds by magnitude", () => {
    assert.equal(toIsoUtc(1606929874), "2020-12-02T17:24:34.000Z");
    assert.equal(toIsoUtc(1606929874.512), ISO);
    assert.equal(toIsoUtc(1606929874512000), ISO);
    assert.equal(toIsoUtc(1606929874512000000), ISO);
    assert.equal(epochToMillis(1606929874), 1606929874000);
  });

  it("reads numeric strings as epochs", () => {
    assert.equal(toIsoUtc("1606929874512"), ISO);
    assert.equal(toIsoUtc("1606929874"), "2020-12-02T17:24:34.000Z");
  });

  it("reads ISO text with Z, with an offset, and without a zone as UTC", () => {
    assert.equal(toIsoUtc("2020-02-13T12:29:18Z"), "2020-02-13T12:29:18.000Z");
    assert.equal(toIsoUtc("2020-02-13T14:29:18+02:00"), "2020-02-13T12:29:18.000Z");
    assert.equal(toIsoUtc("2020-02-13T07:29:18-0500"), "2020-02-13T12:29:18.000Z");
    assert.equal(toIsoUtc("2020-02-13T12:29:18"), "2020-02-13T12:29:18.000Z");
    assert.equal(toIsoUtc("2020-02-13 12:29:18"), "2020-02-13T12:29:18.000Z");
    assert.equal(toIsoUtc("2020-02-13"), "2020-02-13T00:00:00.000Z");
  });

  it("reads zone-less text as UTC whatever the machine's zone, and hour-only or spaced offsets", () => {
    // A child process in another zone: Date.parse would read these in Los Angeles time.
    const script = `const { toIsoUtc } = await import(${JSON.stringify(new URL("./time.js", import.meta.url).href)});
      console.log(JSON.stringify(["2020/12/02 17:24:34", "2020-12-02 17:24:34.268", "2020-12-02T17:24:34", "2024-12-17 00:00:00000000"].map(toIsoUtc)));`;
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, TZ: "America/Los_Angeles" }, encoding: "utf8" });
    // The last one is from Panther's test cases (digits run on after the seconds): read leniently, still as UTC.
    assert.deepEqual(JSON.parse(out.stdout), ["2020-12-02T17:24:34.000Z", "2020-12-02T17:24:34.268Z", "2020-12-02T17:24:34.000Z", "2024-12-17T00:00:00.000Z"]);
    assert.equal(toIsoUtc("2020-12-02T18:24:34+01"), "2020-12-02T17:24:34.000Z");
    assert.equal(toIsoUtc("2020-12-02 17:24:34 +00:00"), "2020-12-02T17:24:34.000Z");
    assert.equal(toIsoUtc("2020-12-02 12:24:34 -0500"), "2020-12-02T17:24:34.000Z");
  });

  it("accepts Date objects", () => {
    assert.equal(toIsoUtc(new Date(ISO)), ISO);
  });

  it("gives null for absent, empty, unparseable and out-of-range values", () => {
    for (const v of [undefined, null, "", "  ", "yesterday", NaN, Infinity, {}, [], true, "+010000-01-01T00:00:00Z"]) {
      assert.equal(toIsoUtc(v), null, String(v));
    }
  });
});

describe("latest", () => {
  it("picks the latest non-null timestamp", () => {
    assert.equal(latest(null, "2020-01-01T00:00:00.000Z", "2021-01-01T00:00:00.000Z", null), "2021-01-01T00:00:00.000Z");
    assert.equal(latest(null, null), null);
  });
});

describe("isoFromMillis", () => {
  it("writes what Date#toISOString writes, for every year 0000-9999", () => {
    const edges = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, -62167219200000, 253402300799999, Date.UTC(2024, 1, 29, 23, 59, 59, 999)];
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const samples = Array.from({ length: 20_000 }, () => Math.floor(-62167219200000 + random() * (253402300799999 + 62167219200000)));
    const fractions = [1.5, -1.5, 1606929874512.9, -0.4];
    for (const ms of [...edges, ...samples, ...fractions]) assert.equal(isoFromMillis(ms), new Date(ms).toISOString(), String(ms));
  });
});

describe("toMillisUtc", () => {
  it("is the time toIsoUtc writes, as a number (what Date.parse reads back from it)", () => {
    const inputs: unknown[] = [
      1606929874512, 1606929874, 1606929874.512, "1606929874", "2020-02-13T14:29:18+02:00", "2020-12-02 17:24:34", "2020-12-02",
      new Date(ISO), 0, -0, "-0", -0.0001, 253402300799999, -62167219200000,
    ];
    for (const v of inputs) {
      const iso = toIsoUtc(v);
      assert.ok(iso !== null, String(v));
      assert.ok(Object.is(toMillisUtc(v), Date.parse(iso)), `${String(v)}: ${toMillisUtc(v)} against ${Date.parse(iso)}`);
    }
    for (const v of [null, "", "soon", NaN, Infinity, -62167219200001, {}]) assert.equal(toMillisUtc(v), null, String(v));
  });
});
