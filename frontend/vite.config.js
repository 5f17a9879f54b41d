import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The build lands in the jar's static resources, so one jar serves the API and the web app.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: '../target/classes/static',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/ws': { target: 'ws://localhost:8080', ws: true } },
  },
})
