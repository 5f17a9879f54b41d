package org.c18n.infra;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The socket hub's own listener: {@code port} (unset: the server port + 2, next to the management
 * port; random when the server port is random; 0 = random), {@code bindAddress} (unset: every
 * interface) and {@code publicUrl}, the socket URL clients are told to open when a proxy stands in
 * front (e.g. {@code wss://chat.example.org/ws}); unset, it is derived from the request's host.
 * {@code presenceInterval}: how often each node re-announces its connected users (default 20 s, at
 * least 1 s); a node silent for three intervals has its users lapse to offline.
 */
@ConfigurationProperties("c18n.hub")
public record HubProperties(Integer port, String bindAddress, String publicUrl, Duration presenceInterval) {
    public HubProperties {
        presenceInterval = presenceInterval == null ? Duration.ofSeconds(20)
                : presenceInterval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : presenceInterval;
    }

    public int portFor(int serverPort) {
        if (port != null) {
            return port;
        }
        return serverPort == 0 ? 0 : serverPort + 2;
    }
}
