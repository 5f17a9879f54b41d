package org.c18n.infra.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The SMTP server mail goes out through ({@code C18N_SMTP_*}). Without a host and a sender
 * address nothing is mailed, and the web app offers nothing that needs mail.
 * {@code tls}: {@code starttls} (upgrade the connection, required), {@code tls} (TLS from the
 * first byte, "SMTPS") or {@code none} (plain, for a relay on the same host or a test server).
 */
@ConfigurationProperties("c18n.smtp")
public record MailProperties(String host, Integer port, String tls, String username, String password, String from) {

    public boolean configured() {
        return host != null && !host.isBlank() && from != null && !from.isBlank();
    }

    /** Why mail is off, for the admin page; empty when it is on. */
    public String whyOff() {
        if (host == null || host.isBlank()) {
            return "C18N_SMTP_HOST is not set";
        }
        if (from == null || from.isBlank()) {
            return "C18N_SMTP_FROM is not set";
        }
        return "";
    }

    String tlsMode() {
        return tls == null || tls.isBlank() ? "starttls" : tls.strip().toLowerCase(java.util.Locale.ROOT);
    }

    int portOrDefault() {
        if (port != null && port > 0) {
            return port;
        }
        return switch (tlsMode()) {
            case "tls" -> 465;
            case "none" -> 25;
            default -> 587;
        };
    }
}
