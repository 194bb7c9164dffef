import { defineConfig } from 'vite';

// `vite build`: the client, with a manifest that names its entry for the server's page;
// `NODE_ENV=development vite build --mode development`: the same with React's development build,
// with StrictMode's and hydration's checks, in dist-dev/ (scripts/build-npm-app.sh).
// `vite build --ssr src/render.js`: the server's render(), with React and consent-widget left to Node.
export default defineConfig(({ mode, isSsrBuild }) => ({
  build: isSsrBuild
    ? { target: 'node20', outDir: 'dist/server', emptyOutDir: true }
    : {
      target: 'es2022',
      outDir: mode === 'development' ? 'dist-dev/client' : 'dist/client',
      emptyOutDir: true,
      minify: mode !== 'development',
      manifest: true,
      rollupOptions: { input: 'src/client.js' },
    },
}));
