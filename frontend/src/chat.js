import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import { api } from './api.js'

/**
 * The chat connection: one WebSocket per tab, reconnecting by itself; after a reconnect each
 * loaded room is synced from the last seq seen, so nothing is lost or shown twice.
 */
/** The connection being opened, shared by whoever asks meanwhile. */
let connecting = null

export const useChat = defineStore('chat', {
  state: () => ({
    rooms: [],
    messages: {}, // room id -> messages in seq order
    lastSeq: {}, // room id -> highest seq seen
    typing: {}, // room id -> { username, until }
    presence: {}, // user id -> online | away | offline
    receipts: {}, // room id -> { user id -> seq }
    live: {}, // room id -> the last messages delivered live (the room list may be read before they are in it)
    status: 'offline',
    me: null,
    socket: null,
    stopped: false,
    openRoom: null,
    outbox: [],
    feeds: {}, // feed name -> handler of its frames (re-subscribed after every reconnection)
    unreadNotifications: 0,
  }),
  actions: {
    /** Opens the socket unless it is open or opening (the app and the chat view both ask for it). */
    connect() {
      if (this.socket && this.socket.readyState <= 1) return Promise.resolve()
      connecting ??= this.openSocket().finally(() => (connecting = null))
      return connecting
    },
    async openSocket() {
      this.status = 'connecting'
      try {
        const { ticket } = await api.post('/ws/ticket')
        const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
        // A native object: kept out of Vue's reactivity, whose proxy would break its methods.
        const socket = markRaw(new WebSocket(`${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`))
        this.stopped = false
        this.socket = socket
        socket.onmessage = (event) => this.receive(JSON.parse(event.data))
        socket.onclose = () => {
          this.status = 'offline'
          if (!this.stopped) setTimeout(() => this.connect(), 1000)
        }
      } catch (e) {
        this.status = 'offline'
        if (!this.stopped) setTimeout(() => this.connect(), 2000)
      }
    },
    /** Receives a live feed (e.g. analytics) while the handler is set; unsubscribe with a null handler. */
    subscribe(feed, handler) {
      if (handler) {
        this.feeds[feed] = markRaw(handler)
        this.frame({ type: 'subscribe', feed })
      } else {
        delete this.feeds[feed]
        this.frame({ type: 'unsubscribe', feed })
      }
    },
    disconnect() {
      this.stopped = true
      this.socket?.close()
    },
    /** Sends now when connected, else as soon as the (re)connection says hello. */
    frame(frame) {
      if (this.socket?.readyState === 1 && this.status === 'online') this.socket.send(JSON.stringify(frame))
      else this.outbox.push(frame)
    },
    receive(frame) {
      switch (frame.type) {
        case 'hello':
          this.status = 'online'
          this.me = frame.user
          for (const user of frame.online || []) this.presence[user] = 'online'
          for (const room of Object.keys(this.messages)) this.frame({ type: 'sync', room, after: this.lastSeq[room] ?? -1 })
          for (const pending of this.outbox.splice(0)) this.frame(pending)
          for (const feed of Object.keys(this.feeds)) this.frame({ type: 'subscribe', feed })
          this.loadRooms()
          this.loadUnread()
          break
        case 'notification':
          this.unreadNotifications++
          break
        case 'message':
          this.addMessage(frame)
          break
        case 'message_edited':
        case 'message_deleted': {
          const m = (this.messages[frame.room] || []).find((x) => x.id === frame.id)
          if (m && frame.type === 'message_edited') Object.assign(m, { body: frame.body, editedAt: frame.editedAt })
          if (m && frame.type === 'message_deleted') Object.assign(m, { body: null, status: 'deleted' })
          break
        }
        case 'typing':
          this.typing[frame.room] = { username: frame.username, until: Date.now() + 5000 }
          setTimeout(() => {
            if (this.typing[frame.room]?.until <= Date.now()) delete this.typing[frame.room]
          }, 5100)
          break
        case 'presence':
          this.presence[frame.user] = frame.status
          break
        case 'read':
          this.receipts[frame.room] = { ...(this.receipts[frame.room] || {}), [frame.user]: frame.seq }
          if (frame.user === this.me?.id) {
            const room = this.rooms.find((r) => r.id === frame.room)
            if (room) room.unread = 0
          }
          break
        case 'room_added':
        case 'room_removed':
          this.loadRooms()
          break
        case 'analytics':
          this.feeds.analytics?.(frame)
          break
      }
    },
    addMessage(m) {
      const list = this.messages[m.room]
      if (list && !list.some((x) => x.seq === m.seq)) {
        list.push(m)
        list.sort((a, b) => a.seq - b.seq)
      }
      this.lastSeq[m.room] = Math.max(this.lastSeq[m.room] ?? -1, m.seq)
      delete this.typing[m.room]
      this.live[m.room] = (this.live[m.room] || []).concat(m).slice(-20)
      const room = this.rooms.find((r) => r.id === m.room)
      if (room) {
        this.countIn(room, m)
        this.rooms.sort((a, b) => new Date(b.lastMessage?.at || 0) - new Date(a.lastMessage?.at || 0))
      } else {
        this.loadRooms()
      }
    },
    /** A message newer than what the room shows becomes its last one, and unread unless mine or open. */
    countIn(room, m) {
      if ((room.lastMessage?.seq ?? -1) >= m.seq) return
      room.lastMessage = { id: m.id, seq: m.seq, senderId: m.sender.id, body: m.body, at: m.at }
      if (m.sender.id !== this.me?.id && this.openRoom !== m.room) room.unread++
    },
    async loadUnread() {
      this.unreadNotifications = (await api.get('/notifications?limit=1')).unread
    },
    /** The server's list, plus messages delivered live that its views did not hold yet when it answered. */
    async loadRooms() {
      const rooms = await api.get('/rooms')
      for (const room of rooms) {
        for (const m of this.live[room.id] || []) this.countIn(room, m)
      }
      rooms.sort((a, b) => new Date(b.lastMessage?.at || 0) - new Date(a.lastMessage?.at || 0))
      this.rooms = rooms
    },
    async open(room) {
      this.openRoom = room
      if (!this.messages[room]) {
        const history = await api.get(`/rooms/${room}/messages?limit=50`)
        this.messages[room] = history.reverse()
        for (const m of history) this.lastSeq[room] = Math.max(this.lastSeq[room] ?? -1, m.seq)
        this.frame({ type: 'sync', room, after: this.lastSeq[room] ?? -1 })
      }
      this.markRead(room)
    },
    /** Prepends the page of messages before the oldest one shown; false when there are no more. */
    async older(room) {
      const list = this.messages[room] || []
      const before = list.length ? list[0].seq : undefined
      const page = await api.get(`/rooms/${room}/messages?limit=50${before !== undefined ? `&before=${before}` : ''}`)
      this.messages[room] = page.reverse().concat(list)
      return page.length === 50
    },
    markRead(room) {
      const seq = this.lastSeq[room]
      if (seq !== undefined && seq >= 0) this.frame({ type: 'read', room, seq })
      const r = this.rooms.find((x) => x.id === room)
      if (r) r.unread = 0
    },
    send(room, body, mediaIds = [], replyTo = null) {
      this.frame({ type: 'send', room, body, mediaIds, replyTo, clientMsgId: crypto.randomUUID() })
    },
  },
})
