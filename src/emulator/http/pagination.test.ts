// Cursor Link headers: built from one parse of the request URL, yet exactly the URLs URLSearchParams writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import type { EmuEnv } from "./context.js";
import { paginate } from "./pagination.js";

const ITEMS = Array.from({ length: 50 }, (_, i) => ({ at: 1000 + Math.floor(i / 3), seq: i }));
const keyOf = (i: (typeof ITEMS)[number]) => [i.at, i.seq] as const;

function app(linkPath?: string) {
  const a = new Hono<EmuEnv>();
  a.get("/list", (c) => {
    const page = paginate(c, { items: ITEMS, keyOf, desc: false, page: false, cursor: true, ...(linkPath ? { linkPath } : {}) });
    return c.json(page.items.map((i) => i.seq), 200, page.link ? { link: page.link } : {});
  });
  return a;
}

/** The Link header as written by setting each parameter on a parsed URL (the general path). */
function expected(url: string, linkPath: string | undefined, links: [string, string, string][]): string {
  return links
    .map(([after, before, rel]) => {
      const u = new URL(url);
      if (linkPath) u.pathname = linkPath;
      u.searchParams.delete("page");
      u.searchParams.set("after", after);
      u.searchParams.set("before", before);
      return `<${u.toString()}>; rel="${rel}"`;
    })
    .join(", ");
}

const cursor = (i: number) => Buffer.from(JSON.stringify(keyOf(ITEMS[i]!))).toString("base64");

test("cursor links equal URLSearchParams' serialization, whatever the request's query looks like", async () => {
  const queries = [
    "per_page=7",
    "per_page=7&phrase=created%3A%3E%3D2026-01-01T00%3A00%3A00Z+action%3Arepo&include=all",
    "phrase=actor:%22a%20b%22&per_page=7&page=3",
    `after=${encodeURIComponent(cursor(6))}&per_page=7&before=`,
    `before=&q=%E2%9C%93+x~y*z(1)!&after=${encodeURIComponent(cursor(13))}&per_page=7`,
    `after=${encodeURIComponent(cursor(20))}&after=junk&per_page=7&before=&before=`,
    `per_page=7&before=${encodeURIComponent(cursor(35))}`,
    "per_page=7&x=after%3D&y=before=",
  ];
  for (const linkPath of [undefined, "/organizations/42/audit-log"]) {
    for (const query of queries) {
      const url = `http://127.0.0.1:9/list?${query}`;
      const res = await app(linkPath).request(url);
      assert.equal(res.status, 200, query);
      const seqs = (await res.json()) as number[];
      const first = seqs[0]!;
      const last = seqs[seqs.length - 1]!;
      const links: [string, string, string][] = [];
      if (last < ITEMS.length - 1) links.push([cursor(last), "", "next"]);
      links.push(["", "", "first"]);
      if (first > 0) links.push(["", cursor(first), "prev"]);
      assert.equal(res.headers.get("link"), expected(url, linkPath, links), `${linkPath} ${query}`);
    }
  }
});
