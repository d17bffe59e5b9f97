import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a static bundle both shells load: Electron from its own
// protocol, the browser shell from 127.0.0.1. Relative asset paths serve both.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    // The kiosk, plus the counter, display and statistics pages the hall queue service serves at /counter/, /display/ and /stats/.
    rollupOptions: {
      input: {
        main: `${import.meta.dirname}/index.html`,
        counter: `${import.meta.dirname}/counter/index.html`,
        display: `${import.meta.dirname}/display/index.html`,
        stats: `${import.meta.dirname}/stats/index.html`,
      },
    },
  },
});
