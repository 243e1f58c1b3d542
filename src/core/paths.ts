// Locations on disk that do not depend on where the compiled file sits (src/ or dist/src/).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the nearest folder above this file that holds ghaudit's package.json. */
export const PACKAGE_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "src"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("ghaudit: cannot find the package root");
    dir = parent;
  }
})();

/** `../shared/` beside the repository (test data written by others; read-only). */
export const SHARED_DIR = resolve(PACKAGE_ROOT, "..", "shared");
