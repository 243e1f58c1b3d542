// Realistic identifiers drawn from the seeded PRNG: shas, GHSA/CVE ids, audit document and request ids, ghp_ tokens, CVSS scores.
import type { Rng } from "./rng.js";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** GitHub advisory ids use this 20-letter alphabet. */
const GHSA_ALPHABET = "23456789cfghjmpqrvwx";
const HEX = "0123456789abcdef";
const HEX_UPPER = "0123456789ABCDEF";

// Strings are built from character codes in one go: concatenating character by character leaves V8 rope
// ("cons") strings that cost several times the memory of a flat string, which matters for a million events.
const codes: number[] = [];
function flat(): string {
  const s = String.fromCharCode.apply(null, codes);
  codes.length = 0;
  return s;
}

function put(rng: Rng, alphabet: string, n: number): void {
  for (let i = 0; i < n; i++) codes.push(alphabet.charCodeAt((rng.next() * alphabet.length) >>> 0));
}

function putText(text: string): void {
  for (let i = 0; i < text.length; i++) codes.push(text.charCodeAt(i));
}

/** A 22-character base64url id, like the audit log's `_document_id` (16 random bytes). */
export function documentId(rng: Rng): string {
  for (let i = 0; i < 4; i++) {
    let v = (rng.next() * 0x40000000) >>> 0; // 30 bits = 5 characters
    for (let j = 0; j < 5; j++) {
      codes.push(B64URL.charCodeAt(v & 63));
      v >>>= 6;
    }
  }
  const v = (rng.next() * 4096) >>> 0;
  codes.push(B64URL.charCodeAt(v & 63), B64URL.charCodeAt(v >>> 6));
  return flat();
}

/** Pushes `n` (≤ 8) upper-case hex digits from one PRNG draw. */
function putHex32(rng: Rng, n: number): void {
  let v = (rng.next() * 0x100000000) >>> 0;
  for (let i = 0; i < n; i++) {
    codes.push(HEX_UPPER.charCodeAt(v & 15));
    v >>>= 4;
  }
}

/** `X-GitHub-Request-Id` style: `C0DE:1A2B:3C4D5E:6F7A8B9:6716A2F3` (last group is the hex epoch second). */
export function requestId(rng: Rng, at: number): string {
  putHex32(rng, 4);
  codes.push(58);
  putHex32(rng, 4);
  codes.push(58);
  putHex32(rng, 6);
  codes.push(58);
  putHex32(rng, 7);
  codes.push(58);
  let sec = Math.floor(at / 1000);
  const start = codes.length;
  do {
    codes.push(HEX_UPPER.charCodeAt(sec % 16));
    sec = Math.floor(sec / 16);
  } while (sec > 0);
  for (let i = start, j = codes.length - 1; i < j; i++, j--) [codes[i], codes[j]] = [codes[j]!, codes[i]!];
  return flat();
}

/** Lower-case hex of length `n` as one flat string. */
export function hex(rng: Rng, n: number): string {
  put(rng, HEX, n);
  return flat();
}

export function sha(rng: Rng): string {
  return hex(rng, 40);
}

export function ghsaId(rng: Rng): string {
  putText("GHSA");
  for (let g = 0; g < 3; g++) {
    codes.push(45);
    put(rng, GHSA_ALPHABET, 4);
  }
  return flat();
}

export function cveId(rng: Rng, year: number): string {
  const n = rng.chance(0.6) ? rng.int(20000, 52999) : rng.int(1000, 9999);
  return `CVE-${year}-${n}`;
}

export function base62(rng: Rng, n: number): string {
  put(rng, BASE62, n);
  return flat();
}

export function randomChars(rng: Rng, alphabet: string, n: number): string {
  put(rng, alphabet, n);
  return flat();
}

let crcTable: Uint32Array | null = null;
function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A GitHub-format token: prefix + 30 random base62 characters + 6-character base62 CRC32 checksum (e.g. `ghp_…`). */
export function githubToken(rng: Rng, prefix: "ghp" | "gho" | "ghs" | "ghu" | "ghr"): string {
  const body = base62(rng, 30);
  let crc = crc32(body);
  let check = "";
  for (let i = 0; i < 6; i++) {
    check = BASE62[crc % 62] + check;
    crc = Math.floor(crc / 62);
  }
  return `${prefix}_${body}${check}`;
}

/** Stable 32-bit FNV-1a hash, for deriving per-name streams and profiles. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Derives an independent sub-seed, so one part of the world does not shift when another part changes size. */
export function subSeed(seed: number, part: string): number {
  return (hash32(part) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
}

const AV = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 } as const;
const AC = { L: 0.77, H: 0.44 } as const;
const UI = { N: 0.85, R: 0.62 } as const;
const CIA = { H: 0.56, L: 0.22, N: 0 } as const;

function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

export interface Cvss {
  vector: string;
  score: number;
  metrics: { av: keyof typeof AV; ac: keyof typeof AC; pr: "N" | "L" | "H"; ui: keyof typeof UI; s: "U" | "C"; c: keyof typeof CIA; i: keyof typeof CIA; a: keyof typeof CIA };
}

/** A random CVSS 3.1 base vector and its score (computed with the specification's formula). */
export function randomCvss(rng: Rng): Cvss {
  for (;;) {
    const m: Cvss["metrics"] = {
      av: rng.weighted([["N", 70], ["L", 20], ["A", 7], ["P", 3]] as const),
      ac: rng.weighted([["L", 80], ["H", 20]] as const),
      pr: rng.weighted([["N", 60], ["L", 30], ["H", 10]] as const),
      ui: rng.weighted([["N", 70], ["R", 30]] as const),
      s: rng.weighted([["U", 85], ["C", 15]] as const),
      c: rng.weighted([["H", 45], ["L", 25], ["N", 30]] as const),
      i: rng.weighted([["H", 35], ["L", 25], ["N", 40]] as const),
      a: rng.weighted([["H", 45], ["L", 15], ["N", 40]] as const),
    };
    const changed = m.s === "C";
    const pr = m.pr === "N" ? 0.85 : m.pr === "L" ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
    const iss = 1 - (1 - CIA[m.c]) * (1 - CIA[m.i]) * (1 - CIA[m.a]);
    const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    if (impact <= 0) continue;
    const expl = 8.22 * AV[m.av] * AC[m.ac] * pr * UI[m.ui];
    const score = changed ? roundUp(Math.min(1.08 * (impact + expl), 10)) : roundUp(Math.min(impact + expl, 10));
    const vector = `CVSS:3.1/AV:${m.av}/AC:${m.ac}/PR:${m.pr}/UI:${m.ui}/S:${m.s}/C:${m.c}/I:${m.i}/A:${m.a}`;
    return { vector, score, metrics: m };
  }
}

export function severityOfScore(score: number): "low" | "medium" | "high" | "critical" {
  return score >= 9 ? "critical" : score >= 7 ? "high" : score >= 4 ? "medium" : "low";
}
