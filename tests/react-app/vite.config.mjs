import { defineConfig } from 'vite';

// `vite build --mode development` keeps React's development build, with StrictMode's checks.
export default defineConfig(({ mode }) => ({
  build: { target: 'es2022', outDir: mode === 'development' ? 'dist-dev' : 'dist', emptyOutDir: true, minify: mode !== 'development' },
}));
