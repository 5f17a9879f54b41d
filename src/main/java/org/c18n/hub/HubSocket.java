package org.c18n.hub;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded socket's frames (docs/protocol.md): text frames go to the hub in order, WebSocket
 * pings are answered here, a close is echoed. Netty's types stay here, in {@link Connection} and
 * in {@link HubServer}, so the hub's API knows nothing of them.
 */
final class HubSocket extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(HubSocket.class);
    /** The largest client frame, in characters (a message body is at most 4,000). */
    static final int MAX_FRAME = 8 * 1024;
    /** The same in UTF-8 bytes at most: what the frame decoder lets through before the check in characters. */
    static final int MAX_FRAME_BYTES = 3 * MAX_FRAME;

    private final Hub hub;
    private final Ephemeral ephemeral;
    private final Connection connection;
    /** Whether the hub registered the connection (on a handler thread, like everything that reads it). */
    private boolean registered;

    HubSocket(Hub hub, Ephemeral ephemeral, Connection connection) {
        this.hub = hub;
        this.ephemeral = ephemeral;
        this.connection = connection;
    }

    /** After the upgrade: the hub greets the connection, unless its user holds too many already. */
    void opened() {
        connection.handle(() -> {
            UUID user = connection.userId();
            if (hub.full(user)) {
                connection.close(Connection.TOO_MANY_SOCKETS);
                return;
            }
            registered = true;
            if (hub.open(connection)) {
                ephemeral.presence(user, "online");
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            String payload = text.text();
            if (payload.length() > MAX_FRAME) {
                connection.close(WebSocketCloseStatus.MESSAGE_TOO_BIG);
                return;
            }
            connection.handle(() -> {
                if (!connection.closing()) {
                    hub.receive(connection, payload);
                }
            });
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            connection.gone();
            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), null))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof BinaryWebSocketFrame) {
            connection.close(new WebSocketCloseStatus(1003, "Binary messages are not supported"));
        } else if (!(frame instanceof PongWebSocketFrame)) {
            connection.close(WebSocketCloseStatus.PROTOCOL_ERROR);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            connection.drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            connection.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.gone();
        connection.handle(() -> {
            if (registered && hub.close(connection)) {
                ephemeral.presence(connection.userId(), "offline");
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            connection.close(WebSocketCloseStatus.MESSAGE_TOO_BIG);
        } else {
            log.debug("Socket of user {} failed", connection.userId(), cause);
            ctx.close();
        }
    }
}
