// Bundles src/index.js and the CSS it imports into one script and one stylesheet, with esbuild,
// into the directory given as the first argument (scripts/setup passes .cache/labpage/static).
//
// esbuild needs what webpack gives JupyterLab's own build: `global` defined, a __dirname for the
// modules that ask for it, and no code splitting, so that lazy import()s are inlined into the
// one bundle (split chunks break CommonJS modules loaded lazily).
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: node build.mjs OUTDIR');
  process.exit(2);
}

const assets = ['.svg', '.png', '.gif', '.woff', '.woff2', '.ttf', '.eot'];
await esbuild.build({
  entryPoints: { labpage: fileURLToPath(new URL('src/index.js', import.meta.url)) },
  outdir,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  splitting: false,
  minify: true,
  legalComments: 'linked',
  define: {
    global: 'globalThis',
    __dirname: '"/"',
    'process.env.NODE_ENV': '"production"'
  },
  loader: Object.fromEntries(assets.map(ext => [ext, 'file'])),
  assetNames: 'assets/[name]-[hash]',
  logLevel: 'warning'
});
