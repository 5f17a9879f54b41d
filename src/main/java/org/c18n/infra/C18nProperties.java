package org.c18n.infra;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every setting of the platform. Empty {@code kafka.bootstrapServers} / {@code db.url} mean
 * "start the embedded broker / PostgreSQL under the data dir".
 */
@ConfigurationProperties("c18n")
public record C18nProperties(
        Path dataDir,
        String nodeId,
        String publicUrl,
        Kafka kafka,
        Db db,
        Duration writeWait,
        Admin admin,
        Auth auth,
        Posts posts,
        Chat chat,
        Media media,
        boolean replayMode) {

    public record Posts(int maxBody, int maxComment) {}

    /**
     * Message size, each connection's outbound queue (frames), what one user may do per second over
     * all their sockets and REST together (messages, read markers, syncs, presence and typing
     * signals), and how many sockets one user may hold open on a node.
     */
    public record Chat(int maxBody, int connectionQueue, int messagesPerSecond, int readsPerSecond,
                       int syncsPerSecond, int signalsPerSecond, int socketsPerUser) {}

    /**
     * Upload limits: bytes per file, pixels per image (checked from the header before decoding),
     * the bytes one user may keep uploaded in all, and the uploads one user may start per minute.
     */
    public record Media(org.springframework.util.unit.DataSize maxImageBytes,
                        org.springframework.util.unit.DataSize maxVideoBytes, long maxImagePixels,
                        org.springframework.util.unit.DataSize quota, int uploadsPerMinute) {}

    /**
     * This node's stable identity in the consumer groups (Kafka static membership): a node that
     * restarts, even after a crash, takes its partitions back at once instead of waiting for its
     * old session to expire. Default: host name and data dir, unique per node.
     */
    public String nodeIdentity() {
        if (nodeId != null && !nodeId.isBlank()) {
            return nodeId;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
    }

    /** The public URL as a URI (for its scheme, host and port), or null when none is set. */
    public URI publicOrigin() {
        return publicUrl == null || publicUrl.isBlank() ? null : URI.create(publicUrl.strip());
    }

    /**
     * Whether the site is served over https. Behind a TLS-terminating proxy the requests
     * themselves look like plain http: only the public URL tells.
     */
    public boolean httpsPublicUrl() {
        return publicUrl != null && publicUrl.strip().regionMatches(true, 0, "https://", 0, 8);
    }

    /**
     * An external cluster's address and how to log in to it: {@code propertiesFile} (any Kafka
     * client settings, e.g. TLS trust stores) first, then the named settings over it; the SASL
     * username and password become the JAAS login of {@code saslMechanism}.
     */
    public record Kafka(String bootstrapServers, int partitions, short replicationFactor, String securityProtocol,
                        String saslMechanism, String saslUsername, String saslPassword, Path propertiesFile) {
        public boolean embedded() {
            return bootstrapServers == null || bootstrapServers.isBlank();
        }
    }

    public record Db(String url, String username, String password, int poolSize) {
        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    public record Admin(String username, String password) {}

    public record Auth(Duration accessTokenTtl, Duration refreshTokenTtl, boolean secureCookie,
                       int loginAttemptsPerMinute) {}
}
