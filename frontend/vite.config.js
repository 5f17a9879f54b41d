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
    // The ticket names the socket hub's own port (8082) on this host; with C18N_HUB_PUBLIC_URL=ws://localhost:5173/ws
    // the socket goes through this proxy instead.
    proxy: { '/api': 'http://localhost:8080', '/ws': { target: 'ws://localhost:8082', ws: true } },
  },
})
