package org.c18n.hub;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.c18n.infra.C18nProperties;
import org.c18n.infra.HubProperties;
import org.c18n.web.SocketUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The socket hub's own listener (Netty), beside the web server: sockets cost a few hundred bytes
 * each while idle (no buffer is held between reads; a frame for many is encoded once), and a
 * delivery is a queue entry plus one event-loop task per socket and burst. The web server's
 * ticket answer names its URL ({@link SocketUrl}).
 */
@Component
@ConditionalOnWebApplication
class HubServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(HubServer.class);
    /** Threads that handle client frames and the opening and closing of sockets (they may wait on the database). */
    private static final int HANDLERS = 16;
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 20;

    private final Hub hub;
    private final Ephemeral ephemeral;
    private final Frames frames;
    private final Tickets tickets;
    private final SocketUrl socketUrl;
    private final HubProperties props;
    private final int serverPort;
    private final int connectionQueue;
    /** Made in {@link #start()}: a stopped hub may be started again (a paused test context resumed). */
    private volatile ExecutorService handlers;
    private EventLoopGroup acceptor;
    private EventLoopGroup loops;
    private Channel listener;

    HubServer(Hub hub, Ephemeral ephemeral, Frames frames, Tickets tickets, SocketUrl socketUrl, HubProperties props,
              C18nProperties c18n, Environment environment) {
        this.hub = hub;
        this.ephemeral = ephemeral;
        this.frames = frames;
        this.tickets = tickets;
        this.socketUrl = socketUrl;
        this.props = props;
        this.serverPort = environment.getProperty("server.port", Integer.class, 8080);
        this.connectionQueue = c18n.chat().connectionQueue();
    }

    @Override
    public synchronized void start() {
        handlers = Executors.newFixedThreadPool(HANDLERS, new DefaultThreadFactory("c18n-ws-handler", true));
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("c18n-ws-accept", true), NioIoHandler.newFactory());
        loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("c18n-ws", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Reads start small and grow only for a socket that sends much; nothing is kept between reads.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 64 * 1024))
                // Past 64 KB not yet taken by the client, frames wait in the connection's queue (its cut-off).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // The aggregator holds the upgrade request only; the handshake removes both.
                        channel.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(8192),
                                new TicketHandshake(HubServer.this));
                        // A connection that does not complete its upgrade in time holds no place.
                        channel.eventLoop().schedule(() -> {
                            if (channel.pipeline().get(TicketHandshake.class) != null) {
                                channel.close();
                            }
                        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                });
        InetSocketAddress address = props.bindAddress() == null || props.bindAddress().isBlank()
                ? new InetSocketAddress(props.portFor(serverPort))
                : new InetSocketAddress(props.bindAddress().strip(), props.portFor(serverPort));
        try {
            listener = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            stopLoops();
            handlers.shutdown();
            throw new IllegalStateException("The socket hub cannot listen on " + address + " (c18n.hub.port / C18N_HUB_PORT)", e);
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        socketUrl.listening(port);
        log.info("Socket hub listening on {}", listener.localAddress());
    }

    @Override
    public synchronized void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
        stopLoops();
        handlers.shutdown();
    }

    private void stopLoops() {
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public synchronized boolean isRunning() {
        return listener != null;
    }

    /** Listening before the web server hands out tickets naming it, closed after it stopped. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    Connection connection(UUID user, Channel channel) {
        return new Connection(user, frames, channel, connectionQueue, handlers);
    }

    ExecutorService handlers() {
        return handlers;
    }

    Tickets tickets() {
        return tickets;
    }

    Hub hub() {
        return hub;
    }

    Ephemeral ephemeral() {
        return ephemeral;
    }
}
