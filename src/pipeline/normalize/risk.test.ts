// The risk table: each GitHub severity word maps to the documented level and score.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_SECRET_SCANNING_RISK, RISK_SCORES, riskForLevel, riskFromSeverity } from "./risk.js";

describe("riskFromSeverity", () => {
  const rows: [string, string, number][] = [
    ["critical", "CRITICAL", 10.0],
    ["high", "HIGH", 8.9],
    ["error", "HIGH", 8.9],
    ["medium", "MEDIUM", 6.9],
    ["moderate", "MEDIUM", 6.9],
    ["warning", "MEDIUM", 6.9],
    ["low", "LOW", 3.9],
    ["note", "LOW", 3.9],
  ];
  for (const [word, level, score] of rows) {
    it(`${word} -> ${level} ${score}`, () => {
      assert.deepEqual(riskFromSeverity(word), { level, score });
    });
  }

  it("ignores case (GraphQL sends MODERATE, CRITICAL)", () => {
    assert.deepEqual(riskFromSeverity("MODERATE"), { level: "MEDIUM", score: 6.9 });
    assert.deepEqual(riskFromSeverity("Critical"), { level: "CRITICAL", score: 10 });
  });

  it("gives INFO 0.0 for none, unknown words, prototype names and null", () => {
    for (const word of ["none", "bogus", "constructor", "__proto__", "", null, undefined]) {
      assert.deepEqual(riskFromSeverity(word), { level: "INFO", score: 0 }, String(word));
    }
  });
});

describe("riskForLevel", () => {
  it("pairs every level with its table score", () => {
    assert.deepEqual(RISK_SCORES, { CRITICAL: 10, HIGH: 8.9, MEDIUM: 6.9, LOW: 3.9, INFO: 0 });
    assert.deepEqual(riskForLevel("LOW"), { level: "LOW", score: 3.9 });
  });

  it("defaults secret scanning to HIGH", () => {
    assert.equal(DEFAULT_SECRET_SCANNING_RISK, "HIGH");
  });
});
