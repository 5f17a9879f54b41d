import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, landed } from './api.js'
import { useSocket } from './socket.js'

/** What the system notification says of a notification frame (it names only the kind). */
const SAYS = {
  reply: 'Someone replied to you',
  mention: 'Someone mentioned you',
  message: 'New messages while you were away',
  invite: 'You were invited to a community',
  post_approved: 'Your post was approved',
  post_rejected: 'Your post was rejected',
  content_removed: 'A moderator removed your content',
  muted: 'A moderator muted you',
  banned: 'A moderator banned you',
  new_post: 'A new post in your community',
  busy_community: 'Your community is busy',
  moderation_queue: 'Your moderation queue has a new item',
}

/**
 * My notifications: the unread count the bell shows, moved by the socket, and reading them —
 * by entry, by what they are about (a page that shows it was opened), or all. While the tab is
 * hidden, a new one also shows as a system notification, once the user allowed them.
 */
export const useNotifications = defineStore('notifications', () => {
  const socket = useSocket()
  const unread = ref(0)
  let counted = false // whether unread is the server's count yet (a page may open before the socket says hello)
  const permission = ref(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)

  async function loadUnread() {
    unread.value = (await api.get('/notifications?limit=1')).unread
    counted = true
  }

  /** A page of notifications (newest first, grouped by kind and what they are about); the count comes with it. */
  async function page(cursor) {
    const answer = await api.get(`/notifications?limit=20${cursor ? `&cursor=${cursor}` : ''}`)
    unread.value = answer.unread
    counted = true
    return answer
  }

  async function markAllRead() {
    const answer = await api.post('/notifications/read', {}, { pending: { unread: 0 } })
    unread.value = answer.unread ?? 0
  }

  async function read(body) {
    const answer = await api.post('/notifications/read', body)
    if (answer.pending) await landed(answer).catch(() => {})
    if (typeof answer.unread === 'number') unread.value = answer.unread
    else await loadUnread()
  }

  /** Reads an entry of the list: every notification it groups. */
  const readEntry = (entry) => read({ ids: entry.ids })

  /** The page of {@code target} ({postId} | {roomId} | {inviteId} | {communityId}) was opened: its notifications are read. */
  async function readAbout(target) {
    if (unread.value || !counted) await read(target).catch(() => {})
  }

  /** Asks once (on the user's click: browsers refuse a prompt without one) to show system notifications. */
  async function allowSystemNotifications() {
    if (permission.value !== 'default') return
    permission.value = await Notification.requestPermission()
  }

  function tellSystem(frame) {
    if (permission.value !== 'granted' || document.visibilityState !== 'hidden') return
    const shown = new Notification('c18n', { body: SAYS[frame.kind] || 'New notification', tag: frame.id })
    shown.onclick = () => {
      window.focus()
      window.location.assign('/notifications')
    }
  }

  socket.on('hello', loadUnread)
  socket.on('notification', (frame) => {
    unread.value++
    tellSystem(frame)
  })

  return { unread, permission, page, markAllRead, readEntry, readAbout, allowSystemNotifications }
})
