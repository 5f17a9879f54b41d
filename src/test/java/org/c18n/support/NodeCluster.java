package org.c18n.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.c18n.C18nApplication;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Kafka broker and a PostgreSQL server standing alone, as a cluster's would, and app nodes
 * started in this JVM against them (each with its own data directory, so no volume is shared).
 */
public final class NodeCluster implements AutoCloseable {
    private final Path dir;
    private final EmbeddedKafkaBroker kafka;
    private final EmbeddedPostgresServer postgres;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    private NodeCluster(Path dir, EmbeddedKafkaBroker kafka, EmbeddedPostgresServer postgres) {
        this.dir = dir;
        this.kafka = kafka;
        this.postgres = postgres;
    }

    public static NodeCluster start(Path dir) throws Exception {
        return new NodeCluster(dir, EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0),
                EmbeddedPostgresServer.start(dir.resolve("postgres")));
    }

    /** Starts node {@code name} (data in {@code <dir>/node-<name>}) with {@code settings} besides the engines'. */
    public ConfigurableApplicationContext node(String name, List<String> settings) {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(C18nApplication.class).run(Stream.of(
                Stream.of("--server.port=0", "--management.server.port=0", "--c18n.hub.port=0"), nodeSettings(name),
                settings.stream()).flatMap(s -> s).toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    /** Node {@code name} as {@link #node} makes it, but in a JVM of its own, so that a test can kill it with -9 (not started). */
    public ChildPlatform child(String name, List<String> settings) throws IOException {
        return new ChildPlatform(dir.resolve("node-" + name + ".log"), ChildPlatform.freePort(),
                Stream.concat(nodeSettings(name), settings.stream()).toArray(String[]::new));
    }

    private Stream<String> nodeSettings(String name) {
        return Stream.of(
                "--c18n.node-id=node-" + name,
                "--c18n.data-dir=" + dir.resolve("node-" + name).toAbsolutePath(),
                "--c18n.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--c18n.kafka.properties-file=" + kafka.clientPropertiesFile(),
                "--c18n.db.url=" + postgres.jdbcUrl(),
                "--c18n.db.username=postgres",
                "--c18n.db.password=" + postgres.password());
    }

    public static String url(ConfigurableApplicationContext node) {
        return "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    /** Stops the nodes still running, then the engines. */
    @Override
    public void close() throws Exception {
        for (ConfigurableApplicationContext node : nodes) {
            if (node.isActive()) {
                node.close();
            }
        }
        kafka.close();
        postgres.close();
    }
}
