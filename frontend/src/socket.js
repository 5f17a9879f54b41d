import { defineStore } from 'pinia'
import { markRaw, ref } from 'vue'
import { api } from './api.js'

/**
 * The socket connection: one WebSocket per tab, opened with a ticket, reconnecting by itself.
 * Frames are sent as soon as it is online (queued until then); received frames go to whoever
 * asked for their type with `on` (chat rooms, notifications) or `subscribe` (a live feed, which
 * is subscribed again after every reconnection). `hello` is announced after each (re)connection.
 */
export const useSocket = defineStore('socket', () => {
  const status = ref('offline')
  const me = ref(null)
  let socket = null
  let connecting = null // the connection being opened, shared by whoever asks meanwhile
  let stopped = false
  const outbox = []
  const listeners = new Map() // frame type -> handlers
  const feeds = new Set() // feeds to subscribe to again after a reconnection

  /** Opens the socket unless it is open or opening (the app and several views ask for it). */
  function connect() {
    if (socket && socket.readyState <= 1) return Promise.resolve()
    connecting ??= open().finally(() => (connecting = null))
    return connecting
  }

  async function open() {
    status.value = 'connecting'
    try {
      // The socket hub listens on its own port (or behind the proxy's /ws): the ticket names the URL.
      const { ticket, url } = await api.post('/ws/ticket')
      const target = new URL(url, location.href)
      target.protocol = target.protocol.replace(/^http/, 'ws')
      target.searchParams.set('ticket', ticket)
      // A native object: kept out of Vue's reactivity, whose proxy would break its methods.
      socket = markRaw(new WebSocket(target))
      stopped = false
      socket.onmessage = (event) => receive(JSON.parse(event.data))
      socket.onclose = () => {
        status.value = 'offline'
        if (!stopped) setTimeout(connect, 1000)
      }
    } catch (e) {
      status.value = 'offline'
      if (!stopped) setTimeout(connect, 2000)
    }
  }

  function disconnect() {
    stopped = true
    socket?.close()
  }

  /** Sends now when connected, else as soon as the (re)connection says hello. */
  function send(frame) {
    if (socket?.readyState === 1 && status.value === 'online') socket.send(JSON.stringify(frame))
    else outbox.push(frame)
  }

  /** Calls the handler with every received frame of this type; answers a function that stops it. */
  function on(type, handler) {
    if (!listeners.has(type)) listeners.set(type, new Set())
    listeners.get(type).add(handler)
    return () => listeners.get(type).delete(handler)
  }

  /** Receives a live feed (its frames have the feed's name as type); answers a function that ends it. */
  function subscribe(feed, handler) {
    const off = on(feed, handler)
    feeds.add(feed)
    // When offline, the next hello subscribes to every feed in the set.
    if (status.value === 'online') send({ type: 'subscribe', feed })
    return () => {
      off()
      feeds.delete(feed)
      if (status.value === 'online') send({ type: 'unsubscribe', feed })
    }
  }

  // Presence: online while the tab is visible and used; away when hidden or idle for IDLE_MS.
  const IDLE_MS = 3 * 60 * 1000
  let presence = 'online'
  let idleTimer = null
  function sayPresence(next) {
    if (next === presence) return
    presence = next
    if (status.value === 'online') send({ type: 'presence', status: presence })
  }
  function active() {
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => sayPresence('away'), IDLE_MS)
    if (!document.hidden) sayPresence('online')
  }
  document.addEventListener('visibilitychange', () => (document.hidden ? sayPresence('away') : active()))
  for (const type of ['pointerdown', 'keydown', 'mousemove', 'focus']) window.addEventListener(type, active, { passive: true })
  active()

  function receive(frame) {
    if (frame.type === 'hello') {
      status.value = 'online'
      me.value = frame.user
      // A new connection counts as online; tell it otherwise.
      if (presence !== 'online') send({ type: 'presence', status: presence })
    }
    for (const handler of listeners.get(frame.type) || []) handler(frame)
    if (frame.type === 'hello') {
      for (const pending of outbox.splice(0)) send(pending)
      for (const feed of feeds) send({ type: 'subscribe', feed })
    }
  }

  return { status, me, connect, disconnect, send, on, subscribe }
})
