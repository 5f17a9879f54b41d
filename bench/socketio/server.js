// A plain Socket.IO chat server with default settings: each client joins the room named in its
// handshake query and every "send" is broadcast to the room. No database, no log: the baseline.
import { createServer } from 'node:http'
import { Server } from 'socket.io'

const port = Number(process.argv[2] || 3999)
const http = createServer()
const io = new Server(http)

io.on('connection', (socket) => {
  const room = socket.handshake.query.room
  socket.join(room)
  socket.on('send', (message) => {
    io.to(room).emit('message', message)
  })
})

http.listen(port, '127.0.0.1', () => console.log(`socket.io listening on ${port}`))
