// Bundles the browser side into dist/ui/: widget.js (the embeddable <tagsmith-suggestions>, one classic script)
// the content editor (index.html, editor.js, editor.css) and the admin console (admin.html, admin.js with Chart.js
// bundled in, admin.css), both pages on the shared base.css. Silent on success, like tsc.

import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/ui");

// Classic IIFE scripts, not modules: hosts embed the widget with a plain <script>, and document.currentScript
// (which gives the widget its default endpoint) exists only for classic scripts.
const common = {
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2020",
  platform: "browser",
  legalComments: "none",
  logLevel: "warning",
  tsconfig: join(root, "src/ui/tsconfig.json"),
};

await mkdir(out, { recursive: true });
await Promise.all([
  copyFile(join(root, "src/ui/base.css"), join(out, "base.css")),
  build({
    ...common,
    entryPoints: [join(root, "src/ui/widget/index.ts")],
    outfile: join(out, "widget.js"),
  }),
  build({
    ...common,
    entryPoints: [join(root, "src/ui/editor/editor.ts")],
    outfile: join(out, "editor.js"),
  }),
  copyFile(join(root, "src/ui/editor/index.html"), join(out, "index.html")),
  copyFile(join(root, "src/ui/editor/editor.css"), join(out, "editor.css")),
  build({
    ...common,
    entryPoints: [join(root, "src/ui/admin/admin.ts")],
    outfile: join(out, "admin.js"),
  }),
  copyFile(join(root, "src/ui/admin/index.html"), join(out, "admin.html")),
  copyFile(join(root, "src/ui/admin/admin.css"), join(out, "admin.css")),
]);
