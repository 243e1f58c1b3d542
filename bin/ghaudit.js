#!/usr/bin/env node
// Entry point of the `ghaudit` command: runs the compiled CLI (built by `npm install` through `prepare`).
import { main } from "../dist/src/cli/main.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
