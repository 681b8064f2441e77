// Builds the Vue renderer into dist/renderer. The output must run under the strict
// Content-Security-Policy the Electron shell and the browser-mode host apply: no inline scripts
// or styles, nothing loaded from the network (the NHS.UK styles are compiled here from Sass with
// local images and no web fonts).
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const nhsukImages = fileURLToPath(new URL('./node_modules/nhsuk-frontend/dist/nhsuk/assets/images', import.meta.url));

/**
 * The development server injects styles with inline <style> elements, which the CSP meta tag in
 * renderer/index.html forbids. In `vite` (serve) only, drop that meta tag; the built app keeps it.
 */
function relaxCspInDevelopment(): Plugin {
  return {
    name: 'dsp-relax-csp-in-development',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
    },
  };
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [vue(), relaxCspInDevelopment()],
  resolve: {
    alias: {
      // Used by the Sass settings so the NHS.UK icons are bundled from node_modules.
      '@nhsuk-images': nhsukImages,
    },
  },
  css: {
    preprocessorOptions: {
      scss: {
        // nhsuk-frontend still uses a few Sass features that newer Sass warns about.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'if-function'],
      },
    },
  },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The polyfill would be injected into the page; Electron's Chromium supports modulepreload.
    modulePreload: { polyfill: false },
    // Never turn small assets into data: URIs for scripts or fonts; images as data: are allowed by img-src.
    assetsInlineLimit: 0,
    target: 'es2023',
    sourcemap: false,
  },
  server: {
    // `npx vite` during development: forward the door to a browser-mode host if one runs.
    proxy: process.env['DSP_API_URL'] ? { '/api': { target: process.env['DSP_API_URL'], changeOrigin: false } } : {},
  },
});
