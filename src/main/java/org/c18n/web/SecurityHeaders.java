package org.c18n.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.header.HeaderWriter;

/**
 * The browser-side defences written on every answer. The web app renders user Markdown with
 * v-html, so the Content-Security-Policy is a real second line: scripts only from our own
 * origin (no inline script, no eval), nothing loaded from elsewhere, no framing. Inline style
 * stays allowed (Markdown's table alignment, Swagger UI); style cannot run script.
 */
public class SecurityHeaders implements HeaderWriter {
    /**
     * The web app and the API: everything from our own origin, and the socket hub's listener (its own
     * port); images and video also as blob: (previews) and data:.
     */
    static final String APP_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' %s; font-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    /** Swagger UI draws its icons as data: SVG and sets inline styles; it too runs only our own scripts. */
    static final String DOCS_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";
    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
            + "serial=(), bluetooth=(), hid=(), midi=(), accelerometer=(), gyroscope=(), magnetometer=(), "
            + "display-capture=(), browsing-topics=()";
    static final String HSTS = "max-age=31536000";

    private final boolean httpsPublicUrl;
    private final SocketUrl socketUrl;

    public SecurityHeaders(boolean httpsPublicUrl, SocketUrl socketUrl) {
        this.httpsPublicUrl = httpsPublicUrl;
        this.socketUrl = socketUrl;
    }

    @Override
    public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean docs = path.startsWith("/api/docs") || path.startsWith("/api/swagger-ui");
        response.setHeader("Content-Security-Policy", docs ? DOCS_POLICY : APP_POLICY.formatted(socketUrl.origin(request)));
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
        if (request.isSecure() || httpsPublicUrl) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
    }
}
