package org.c18n.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that opens the connection and then stops reading, with a tiny receive
 * buffer: what a phone in a tunnel looks like to the server. Afterwards it can drain the stream
 * and report how the server closed it.
 */
public class StalledClient implements AutoCloseable {
    private final java.net.Socket socket;

    /** Opens {@code url} (the one the ticket answer names) with {@code ticket}. */
    public StalledClient(URI url, String ticket) throws IOException {
        socket = new java.net.Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
        socket.getOutputStream().write(("GET " + url.getRawPath() + "?ticket=" + ticket + " HTTP/1.1\r\nHost: " + url.getRawAuthority()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /**
     * Reads everything the server still sends until it closes the connection; answers the code of
     * its close frame, or -1 when the server gave up on delivering even that and cut the connection.
     */
    public int drainToClose() throws IOException {
        socket.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        while (true) {
            int first = in.read();
            if (first < 0) {
                return -1;
            }
            int opcode = first & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            try {
                in.readFully(payload);
            } catch (java.io.EOFException cut) {
                return -1;
            }
            if (opcode == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
