package org.c18n.hub;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP request a socket starts with: {@code GET /ws?ticket=…} with a valid, unused,
 * unexpired ticket is upgraded; anything else is answered (401 for a bad ticket) and closed.
 * The ticket is redeemed in the database, on a handler thread, not on the event loop.
 */
final class TicketHandshake extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(TicketHandshake.class);
    /** A socket with no frame in or out for this long is closed (1001); clients ping meanwhile. */
    static final long IDLE_SECONDS = 300;
    private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(HubSocket.MAX_FRAME_BYTES).allowExtensions(false).build();

    private final HubServer server;

    TicketHandshake(HubServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (!uri.path().equals("/ws")) {
            answer(ctx, HttpResponseStatus.NOT_FOUND);
            return;
        }
        if (!request.method().equals(HttpMethod.GET)
                || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        String ticket = uri.parameters().getOrDefault("ticket", List.of()).stream().findFirst().orElse(null);
        FullHttpRequest held = request.retainedDuplicate();
        ctx.channel().config().setAutoRead(false);
        server.handlers().execute(() -> {
            Optional<UUID> user;
            try {
                user = server.tickets().redeem(ticket);
            } catch (RuntimeException e) {
                log.warn("Cannot redeem a socket ticket", e);
                held.release();
                ctx.executor().execute(() -> answer(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE));
                return;
            }
            ctx.executor().execute(() -> upgrade(ctx, held, user));
        });
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, Optional<UUID> user) {
        try {
            if (user.isEmpty()) {
                answer(ctx, HttpResponseStatus.UNAUTHORIZED);
                return;
            }
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("/ws", null, DECODER)
                    .newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            Connection connection = server.connection(user.get(), ctx.channel());
            HubSocket socket = new HubSocket(server.hub(), server.ephemeral(), connection);
            ctx.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                    new WebSocketFrameAggregator(HubSocket.MAX_FRAME_BYTES), socket);
            ctx.pipeline().remove(this);
            handshaker.handshake(ctx.channel(), request).addListener(done -> {
                if (done.isSuccess()) {
                    socket.opened();
                    ctx.channel().config().setAutoRead(true);
                } else {
                    ctx.channel().close();
                }
            });
        } finally {
            request.release();
        }
    }

    private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
