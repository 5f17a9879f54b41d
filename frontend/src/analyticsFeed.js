import { useSocket } from './socket.js'

/**
 * The platform's analytics as they change (admins only): each frame carries changed totals and
 * chart points. Calls `onFrame` with each until the answered function is called.
 */
export async function followAnalytics(onFrame) {
  const socket = useSocket()
  await socket.connect()
  return socket.subscribe('analytics', onFrame)
}
