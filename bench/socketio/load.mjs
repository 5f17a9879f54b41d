// Load client for bench/ws-bench.sh: one WebSocket per user, listed on stdin as
//   <connect> TAB <room> TAB <send frame with BODY where the body goes>
// where <connect> is a ws:// URL (Socket.IO: greets with "40", answers Engine.IO pings) or
// "ticket <http base> <access token>" (c18n: a one-time ticket first, which names the socket URL). An empty line ends the list;
// it prints {"held":n}. Then each line {"rate":r,"seconds":s,"run":"id"} sends r messages a second
// over all rooms for s seconds, each room's members taking turns, waits 2 s for the last to arrive,
// and prints {"sent","delivered","p50","p99","max"} (ms; send-to-receive, one clock: this process);
// a line {} prints {"open":n}, the sockets open now. Also the idle hold: list, then only {}.
import { createInterface } from 'node:readline'
import WebSocket from 'ws' // socket.io's own dependency (engine.io)

const members = new Map() // room -> [{ ws, template }]
const specs = []
let run = null
let latencies = []
let delivered = 0
let max = 0
let open = 0

const input = createInterface({ input: process.stdin })
let listing = true
input.on('line', async (line) => {
  if (listing) {
    if (line !== '') { specs.push(line.split('\t')); return }
    listing = false
    const held = await openAll()
    console.log(JSON.stringify({ held }))
    return
  }
  const command = JSON.parse(line)
  if (command.rate === undefined) { console.log(JSON.stringify({ open })); return }
  const result = await send(command.rate, command.seconds, command.run)
  console.log(JSON.stringify(result))
})
input.on('close', () => process.exit(0))

async function url(connect) {
  if (!connect.startsWith('ticket ')) return connect
  const [, base, token] = connect.split(' ')
  const reply = await fetch(base + '/api/v1/ws/ticket', {
    method: 'POST', headers: { authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(20000)
  })
  if (reply.status !== 200) throw new Error('ticket ' + reply.status)
  const { ticket, url } = await reply.json() // the socket hub's own listener, as the ticket names it
  const target = new URL(url, base)
  target.protocol = target.protocol.replace(/^http/, 'ws')
  target.searchParams.set('ticket', ticket)
  return target.href
}

function received(ws, data) {
  const text = data.toString()
  if (text === '2') { ws.send('3'); return }
  const at = text.indexOf('t=')
  if (at < 0 || run === null) return
  const colon = text.indexOf(':', at)
  const end = text.indexOf('"', colon)
  if (colon < 0 || end < 0 || text.slice(colon + 1, end) !== run) return
  const latency = Number(process.hrtime.bigint() - BigInt(text.slice(at + 2, colon))) / 1e6
  delivered++
  latencies.push(latency)
  if (latency > max) max = latency
}

function connect([connect, room, template]) {
  return url(connect).then((target) => new Promise((resolve) => {
    const ws = new WebSocket(target, { perMessageDeflate: false, handshakeTimeout: 20000 })
    ws.on('open', () => {
      open++
      ws.on('close', () => open--)
      if (!connect.startsWith('ticket ')) ws.send('40')
      if (!members.has(room)) members.set(room, [])
      members.get(room).push({ ws, template })
      resolve(1)
    })
    ws.on('message', (data) => received(ws, data))
    ws.on('error', () => {}) // a 'close' follows
    ws.on('close', () => resolve(0))
  })).catch(() => 0)
}

async function openAll() {
  let held = 0
  for (let from = 0; from < specs.length; from += 100) {
    const opened = await Promise.all(specs.slice(from, from + 100).map(connect))
    held += opened.reduce((a, b) => a + b, 0)
  }
  return held
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function send(rate, seconds, id) {
  run = id
  latencies = []
  delivered = 0
  max = 0
  const rooms = [...members.values()]
  const interval = 1000 * rooms.length / rate // ms between turns
  const start = performance.now()
  let sent = 0
  for (let turn = 0; performance.now() - start < seconds * 1000; turn++) {
    for (const room of rooms) {
      const { ws, template } = room[turn % room.length]
      ws.send(template.replace('BODY', 't=' + process.hrtime.bigint() + ':' + id))
      sent++
    }
    const wait = start + (turn + 1) * interval - performance.now()
    if (wait > 0) await sleep(wait)
    else if (turn % 20 === 0) await sleep(0) // let the replies in
  }
  await sleep(2000)
  latencies.sort((a, b) => a - b)
  const pick = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : NaN
  const result = { sent, delivered, p50: pick(0.5), p99: pick(0.99), max }
  run = null
  return result
}
