import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from './api.js'
import { useSocket } from './socket.js'

/**
 * The chat rooms as this tab knows them: the room list with unread counts, each loaded room's
 * messages, typing, presence and read receipts, kept current by the socket's frames. After a
 * reconnection each loaded room is synced from the last seq seen, so nothing is lost or shown twice.
 */
export const useChatRooms = defineStore('chatRooms', () => {
  const socket = useSocket()
  const rooms = ref([])
  const messages = ref({}) // room id -> messages in seq order
  const lastSeq = {} // room id -> highest seq seen
  const typing = ref({}) // room id -> { username, until }
  const presence = ref({}) // user id -> online | away | offline
  const receipts = ref({}) // room id -> { user id -> seq }
  const live = {} // room id -> the last messages delivered live (the room list may be read before they are in it)
  let openRoom = null
  const me = computed(() => socket.me)

  const byRecency = (a, b) => new Date(b.lastMessage?.at || 0) - new Date(a.lastMessage?.at || 0)

  /** The server's list, plus messages delivered live that its views did not hold yet when it answered. */
  async function loadRooms() {
    const list = await api.get('/rooms')
    for (const room of list) {
      for (const m of live[room.id] || []) countIn(room, m)
    }
    rooms.value = list.sort(byRecency)
  }

  /**
   * The hub reads the log alongside the projector, so it can name a new room a moment before the
   * room list (a view) holds it: ask again, waiting longer each time, until the list has it.
   */
  async function roomAdded(frame) {
    for (let wait = 200; ; wait *= 2) {
      await loadRooms()
      if (!frame?.room || rooms.value.some((r) => r.id === frame.room) || wait > 3200) return
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }

  /** A message newer than what the room shows becomes its last one, and unread unless mine or open. */
  function countIn(room, m) {
    if ((room.lastMessage?.seq ?? -1) >= m.seq) return
    room.lastMessage = { id: m.id, seq: m.seq, senderId: m.sender.id, body: m.body, at: m.at }
    if (m.sender.id !== me.value?.id && openRoom !== m.room) room.unread++
  }

  function addMessage(m) {
    const list = messages.value[m.room]
    if (list && !list.some((x) => x.seq === m.seq)) {
      list.push(m)
      list.sort((a, b) => a.seq - b.seq)
    }
    lastSeq[m.room] = Math.max(lastSeq[m.room] ?? -1, m.seq)
    delete typing.value[m.room]
    live[m.room] = (live[m.room] || []).concat(m).slice(-20)
    const room = rooms.value.find((r) => r.id === m.room)
    if (room) {
      countIn(room, m)
      rooms.value.sort(byRecency)
    } else {
      loadRooms()
    }
  }

  async function open(room) {
    openRoom = room
    if (!messages.value[room]) {
      const history = await api.get(`/rooms/${room}/messages?limit=50`)
      messages.value[room] = history.reverse()
      for (const m of history) lastSeq[room] = Math.max(lastSeq[room] ?? -1, m.seq)
      socket.send({ type: 'sync', room, after: lastSeq[room] ?? -1 })
    }
    markRead(room)
  }

  /** Prepends the page of messages before the oldest one shown; false when there are no more. */
  async function older(room) {
    const list = messages.value[room] || []
    const before = list.length ? list[0].seq : undefined
    const page = await api.get(`/rooms/${room}/messages?limit=50${before !== undefined ? `&before=${before}` : ''}`)
    messages.value[room] = page.reverse().concat(list)
    return page.length === 50
  }

  /** The chat view is left: messages in the room it showed count as unread again. */
  function close() {
    openRoom = null
  }

  /** Unread messages over all rooms: the nav badge and the tab title. */
  const unread = computed(() => rooms.value.reduce((n, r) => n + (r.unread || 0), 0))

  function markRead(room) {
    const seq = lastSeq[room]
    if (seq !== undefined && seq >= 0) socket.send({ type: 'read', room, seq })
    const r = rooms.value.find((x) => x.id === room)
    if (r) r.unread = 0
  }

  function send(room, body, mediaIds = [], replyTo = null) {
    socket.send({ type: 'send', room, body, mediaIds, replyTo, clientMsgId: crypto.randomUUID() })
  }

  /** A message as a reaction's answer read it back: its reactions are the server's. */
  function reacted(room, changed) {
    const m = (messages.value[room] || []).find((x) => x.id === changed.id)
    if (m && changed.emojis) m.emojis = changed.emojis
  }

  /**
   * A reaction frame is a change (someone added or took back an emoji), applied so that hearing it
   * twice, or after the answer that already showed it, changes nothing.
   */
  function applyReaction(frame) {
    const m = (messages.value[frame.room] || []).find((x) => x.id === frame.id)
    if (!m) return
    const emojis = (m.emojis || []).map((s) => ({ ...s, people: [...s.people] }))
    let summary = emojis.find((s) => s.emoji === frame.emoji)
    const mine = frame.user === me.value?.id
    const counted = mine ? !!summary?.mine : !!summary?.people.includes(frame.username)
    if (frame.added === counted) return
    if (!summary) emojis.push(summary = { emoji: frame.emoji, count: 0, people: [], mine: false })
    summary.count += frame.added ? 1 : -1
    summary.people = frame.added ? summary.people.concat(frame.username) : summary.people.filter((p) => p !== frame.username)
    if (mine) summary.mine = frame.added
    m.emojis = emojis.filter((s) => s.count > 0)
  }

  function sayTyping(room) {
    socket.send({ type: 'typing', room })
  }

  socket.on('hello', (frame) => {
    for (const user of frame.online || []) presence.value[user] = 'online'
    for (const room of Object.keys(messages.value)) socket.send({ type: 'sync', room, after: lastSeq[room] ?? -1 })
    loadRooms()
  })
  socket.on('message', addMessage)
  socket.on('message_edited', (frame) => {
    const m = (messages.value[frame.room] || []).find((x) => x.id === frame.id)
    if (m) Object.assign(m, { body: frame.body, editedAt: frame.editedAt })
  })
  socket.on('message_deleted', (frame) => {
    const m = (messages.value[frame.room] || []).find((x) => x.id === frame.id)
    if (m) Object.assign(m, { body: null, status: 'deleted' })
  })
  socket.on('message_reaction', applyReaction)
  socket.on('typing', (frame) => {
    typing.value[frame.room] = { username: frame.username, until: Date.now() + 5000 }
    setTimeout(() => {
      if (typing.value[frame.room]?.until <= Date.now()) delete typing.value[frame.room]
    }, 5100)
  })
  socket.on('presence', (frame) => {
    presence.value[frame.user] = frame.status
  })
  socket.on('read', (frame) => {
    receipts.value[frame.room] = { ...(receipts.value[frame.room] || {}), [frame.user]: frame.seq }
    if (frame.user === me.value?.id) {
      const room = rooms.value.find((r) => r.id === frame.room)
      if (room) room.unread = 0
    }
  })
  socket.on('room_added', roomAdded)
  socket.on('room_removed', loadRooms)

  return { rooms, messages, typing, presence, receipts, me, unread, loadRooms, open, close, older, markRead, send, sayTyping,
    reacted }
})
