import { defineStore } from 'pinia'

/** Who is signed in: the short-lived access token lives in memory, the refresh cookie in the browser. */
export const useSession = defineStore('session', {
  state: () => ({ token: null, user: null, restored: false }),
  getters: {
    signedIn: (s) => !!s.token,
  },
  actions: {
    accept(response) {
      this.token = response.accessToken
      this.user = response.user
    },
    async login(username, password) {
      const response = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
      const data = await response.json()
      if (!response.ok) throw new Error(data.detail || 'Sign-in failed')
      this.accept(data)
    },
    async refresh() {
      const response = await fetch('/api/v1/auth/refresh', { method: 'POST' })
      if (!response.ok) {
        this.token = null
        this.user = null
        return false
      }
      this.accept(await response.json())
      return true
    },
    async restore() {
      if (!this.restored) {
        this.restored = true
        await this.refresh()
      }
    },
    async logout() {
      await fetch('/api/v1/auth/logout', { method: 'POST' })
      this.token = null
      this.user = null
    },
  },
})
