package org.c18n.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.c18n.infra.HubProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where a browser opens the socket: the hub listens on a port of its own, so the ticket names the
 * URL (and the Content-Security-Policy allows it). A configured public URL wins (a proxy routes
 * {@code /ws}); otherwise the host the request came to, on the hub's port.
 */
@Component
public class SocketUrl {
    private final String configured;
    private volatile int port = -1;

    public SocketUrl(HubProperties props) {
        this.configured = props.publicUrl() == null || props.publicUrl().isBlank() ? null : props.publicUrl().strip();
    }

    /** The port the hub's listener bound (known once it started). */
    public void listening(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String of(HttpServletRequest request) {
        if (configured != null) {
            return configured;
        }
        return UriComponentsBuilder.newInstance().scheme(request.isSecure() ? "wss" : "ws")
                .host(request.getServerName()).port(port).path("/ws").toUriString();
    }

    /** The scheme, host and port of {@link #of}, as a CSP source. */
    String origin(HttpServletRequest request) {
        URI url = URI.create(of(request));
        return url.getScheme() + "://" + url.getRawAuthority();
    }
}
