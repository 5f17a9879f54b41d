import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from './api.js'
import { useSocket } from './socket.js'

/** My notifications: the unread count the bell shows, moved by the socket, and reading them. */
export const useNotifications = defineStore('notifications', () => {
  const socket = useSocket()
  const unread = ref(0)

  async function loadUnread() {
    unread.value = (await api.get('/notifications?limit=1')).unread
  }

  /** A page of notifications (newest first); the count comes with it. */
  async function page(cursor) {
    const answer = await api.get(`/notifications?limit=20${cursor ? `&cursor=${cursor}` : ''}`)
    unread.value = answer.unread
    return answer
  }

  async function markAllRead() {
    const answer = await api.post('/notifications/read', {}, { pending: { unread: 0 } })
    unread.value = answer.unread ?? 0
  }

  socket.on('hello', loadUnread)
  socket.on('notification', () => unread.value++)

  return { unread, page, markAllRead }
})
