import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { workflowNodeValidator } from './vite-plugins/workflow-node-validator.ts';
import { defineConfig } from 'vite';

const apiTarget = 'http://127.0.0.1:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), workflowNodeValidator()],
  server: {
    port: 5173,
    proxy: {
      // One entry covers both the HTTP endpoint and graphql-ws upgrades on the same path.
      '/graphql': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
