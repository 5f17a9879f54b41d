package org.c18n.eventlog;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) running in this JVM, with its
 * log under {@code dir}. It is the same broker a cluster runs, so the code above it cannot tell.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats {@code dir} on first use, then starts the broker; returns once it is registered. */
    public static EmbeddedKafkaBroker start(Path dir, int brokerPort) throws Exception {
        Files.createDirectories(dir);
        // A fatal fault inside the broker must not halt the whole platform silently.
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker requested halt (" + status + "): " + message);
        });
        int[] ports = freePorts(2, brokerPort);
        int port = brokerPort > 0 ? brokerPort : ports[0];
        int controllerPort = ports[1];
        String logDir = dir.toAbsolutePath().toString();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir);
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("broker.session.timeout.ms", "1500");
        props.put("broker.heartbeat.interval.ms", "300");
        props.put("log.retention.ms", "-1");
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        if (!Files.exists(dir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir)
                    .setDirectories(Set.of(logDir))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        }
        long started = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        Files.writeString(addressFile(dir), bootstrap + System.lineSeparator());
        log.info("Kafka broker ready at {} in {} ms (log {})", bootstrap, (System.nanoTime() - started) / 1_000_000, logDir);
        return new EmbeddedKafkaBroker(server, bootstrap);
    }

    /**
     * Where a started broker writes its address ({@code host:port}): the port is chosen at each
     * start, and tools on the same machine ({@code c18n seed --fast}) find the broker there.
     */
    public static Path addressFile(Path dir) {
        return dir.resolve("c18n-address");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * Distinct free ports, none equal to {@code taken}: all sockets stay open until every port
     * is chosen, otherwise the system may hand out the same port twice.
     */
    static int[] freePorts(int count, int taken) throws IOException {
        java.util.List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; ) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                if (socket.getLocalPort() != taken) {
                    ports[i++] = socket.getLocalPort();
                }
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
