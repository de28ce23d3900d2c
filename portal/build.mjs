// Bundles the portal into dist/ (git-ignored), which the coordinator's gateway serves as static files.
// Everything the page runs is in the bundle: nothing is fetched from anywhere but the gateway at run time.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2022"],
  outfile: join(out, "portal.js"),
  logLevel: "warning",
  legalComments: "linked",
});
cpSync(join(here, "src", "index.html"), join(out, "index.html"));
cpSync(join(here, "src", "portal.css"), join(out, "portal.css"));
console.log(`portal bundle written to ${out}`);
