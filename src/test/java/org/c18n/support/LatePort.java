package org.c18n.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A port on 127.0.0.1 where nothing answers (connections are refused) until {@link #forwardTo}:
 * from then on every connection is passed through to another port, as if a server had come up.
 */
public final class LatePort implements AutoCloseable {
    private final int port;
    private ServerSocket server;

    public LatePort() {
        try {
            this.port = ChildPlatform.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public synchronized void forwardTo(int target) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        ServerSocket listening = server;
        daemon("late-port-" + port, () -> {
            while (!listening.isClosed()) {
                try {
                    Socket in = listening.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    pipe(in, out);
                    pipe(out, in);
                } catch (IOException closedOrRefused) {
                    // the next connection, if the port is still open
                }
            }
        });
    }

    private static void pipe(Socket from, Socket to) {
        daemon("late-port-pipe", () -> {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException closed) {
                // either side went away: both are closed
            }
        });
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
