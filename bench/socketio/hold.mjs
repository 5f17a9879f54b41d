// Idle-connection load client for bench/ws-bench.sh: opens the WebSockets listed on stdin and keeps
// them open. A line is either a ws:// URL (Socket.IO: greets with "40", answers Engine.IO pings) or
// "ticket <http base> <access token>" (c18n: fetches a one-time ticket, then opens /ws with it).
// Prints "held <n> failed <m>" once all are tried, then "still <n>" for every line "?" read after
// an empty line; exits when stdin closes.
import { createInterface } from 'node:readline'
import WebSocket from 'ws' // socket.io's own dependency (engine.io)

const lines = []
let open = 0
let failed = 0
let phase = 'list'
const input = createInterface({ input: process.stdin })
input.on('line', (line) => {
  if (phase === 'list') {
    if (line === '') {
      phase = 'hold'
      openAll().then(() => console.log(`held ${open} failed ${failed}`))
    } else {
      lines.push(line)
    }
  } else if (line === '?') {
    console.log(`still ${open}`)
  }
})
input.on('close', () => process.exit(0))

async function url(line) {
  if (!line.startsWith('ticket ')) return line
  const [, base, token] = line.split(' ')
  const reply = await fetch(base + '/api/v1/ws/ticket', {
    method: 'POST', headers: { authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(20000)
  })
  if (reply.status !== 200) throw new Error('ticket ' + reply.status)
  return base.replace('http', 'ws') + '/ws?ticket=' + (await reply.json()).ticket
}

function connect(line) {
  return url(line).then((target) => new Promise((resolve) => {
    const ws = new WebSocket(target, { perMessageDeflate: false, handshakeTimeout: 20000 })
    let counted = false
    ws.on('open', () => {
      counted = true
      open++
      if (!line.startsWith('ticket ')) ws.send('40')
      resolve()
    })
    ws.on('message', (data) => { if (data.toString() === '2') ws.send('3') })
    ws.on('error', () => {}) // a 'close' follows
    ws.on('close', () => { if (counted) open--; else { failed++; resolve() } })
  })).catch(() => { failed++ })
}

async function openAll() {
  let next = 0
  const workers = Array.from({ length: 100 }, async () => {
    while (next < lines.length) await connect(lines[next++])
  })
  await Promise.all(workers)
}
