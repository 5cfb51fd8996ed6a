import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console: built into apps/web/dist, which the gateway serves at `/`. In development
 * (`npm run dev:web`) Vite serves it on :5173 and passes /api on to the gateway (GATEWAY_URL,
 * http://127.0.0.1:3000 by default). Every page is its own chunk (React.lazy), and antd's
 * components go with the pages that use them, so the sign-in page loads little.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' } },
  },
});
