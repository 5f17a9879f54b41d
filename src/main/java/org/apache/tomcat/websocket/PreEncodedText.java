package org.apache.tomcat.websocket;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends a text message that is already UTF-8, so that a frame for a room of 100 is encoded once
 * rather than once per recipient: the WebSocket API only takes a String, which Tomcat encodes for
 * every send (a third of a writer thread's time in bench/README.md's profile). It takes Tomcat's
 * own path for a whole message after encoding (batching, send timeout, extensions), through a
 * package-private method; on any other container it sends the String.
 */
public final class PreEncodedText {
    private PreEncodedText() {
    }

    public static void send(RemoteEndpoint.Basic remote, byte[] utf8) throws IOException {
        if (remote instanceof WsRemoteEndpointBase tomcat) {
            tomcat.base.sendMessageBlock(Constants.OPCODE_TEXT, ByteBuffer.wrap(utf8), true);
        } else {
            remote.sendText(new String(utf8, StandardCharsets.UTF_8));
        }
    }
}
