import { defineStore } from 'pinia'
import { api } from './api.js'

/** Whom I have blocked (their content is collapsed for me), and avatars I changed in this tab. */
export const usePeople = defineStore('people', {
  state: () => ({ blocked: {}, loaded: false, avatarVersion: {} }),
  actions: {
    async loadBlocks(force = false) {
      if (this.loaded && !force) return
      this.loaded = true
      const list = await api.get('/users/me/blocks')
      this.blocked = Object.fromEntries(list.map((u) => [u.id, true]))
    },
    isBlocked(id) {
      return !!this.blocked[id]
    },
    async block(id) {
      await api.post(`/users/${id}/block`)
      this.blocked = { ...this.blocked, [id]: true }
    },
    async unblock(id) {
      await api.delete(`/users/${id}/block`)
      const { [id]: _, ...rest } = this.blocked
      this.blocked = rest
    },
    /** My avatar changed: images of it load again (the server's copy is cached a minute). */
    avatarChanged(id) {
      this.avatarVersion = { ...this.avatarVersion, [id]: Date.now() }
    },
  },
})
