import { defineStore } from 'pinia'

// Marks our own calls: the server refuses cookie-authenticated calls (refresh, logout) without it,
// which a form on another site cannot send.
const OWN = { 'X-C18N': '1' }

// A refresh token works once: reusing one ends the whole session. So refreshes never overlap, in
// this tab (one shared attempt) nor across tabs (a Web Lock; each tab then sends the newest cookie).
let refreshing = null

function exclusively(action) {
  return navigator.locks ? navigator.locks.request('c18n-refresh', action) : action()
}

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
        headers: { 'Content-Type': 'application/json', ...OWN },
        body: JSON.stringify({ username, password }),
      })
      const data = await response.json()
      if (!response.ok) throw new Error(data.detail || 'Sign-in failed')
      this.accept(data)
    },
    refresh() {
      refreshing ??= exclusively(async () => {
        const response = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: OWN })
        if (!response.ok) {
          // Read to the end: a response left unread keeps its request open (and the page never network-idle).
          await response.text().catch(() => {})
          this.token = null
          this.user = null
          return false
        }
        this.accept(await response.json())
        return true
      }).finally(() => {
        refreshing = null
      })
      return refreshing
    },
    async restore() {
      if (!this.restored) {
        this.restored = true
        await this.refresh()
      }
    },
    async logout() {
      await fetch('/api/v1/auth/logout', { method: 'POST', headers: OWN })
      this.token = null
      this.user = null
    },
  },
})
