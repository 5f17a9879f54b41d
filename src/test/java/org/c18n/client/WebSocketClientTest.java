package org.c18n.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebSocketClientTest {
    @Test
    void anUpgradeNeverAnsweredFailsInsteadOfHanging() throws Exception {
        // A server that takes the connection and the upgrade request, and never answers.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread taker = new Thread(() -> {
                try (Socket taken = silent.accept(); InputStream in = taken.getInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (Exception closed) {
                    // the client gave up
                }
            });
            taker.setDaemon(true);
            taker.start();
            long started = System.nanoTime();
            assertThatThrownBy(() -> WebSocketClient.connect(Api.newHttp(), "ws://127.0.0.1:" + silent.getLocalPort() + "/ws",
                    "ticket", frame -> { }, Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not answered within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
