import { defineConfig } from 'vite';

// `NODE_ENV=development vite build --mode development` keeps React's development build, with
// StrictMode's checks (scripts/build-npm-app.sh).
export default defineConfig(({ mode }) => ({
  build: { target: 'es2022', outDir: mode === 'development' ? 'dist-dev' : 'dist', emptyOutDir: true, minify: mode !== 'development' },
}));
