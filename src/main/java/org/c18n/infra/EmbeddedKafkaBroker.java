package org.c18n.infra;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
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
 *
 * <p>Both its listeners are on 127.0.0.1 and ask for SASL/PLAIN with the one account generated
 * on first start; clients find its address in {@link #addressFile} and their settings (with the
 * password) in {@link #clientPropertiesFile}, {@code 0600}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    public static final String USERNAME = "c18n";
    private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

    private final KafkaRaftServer server;
    private final Path dir;
    private final String bootstrapServers;
    private final Map<String, String> clientSecurity;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dir, String bootstrapServers, Map<String, String> clientSecurity) {
        this.server = server;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
        this.clientSecurity = clientSecurity;
    }

    /** Formats {@code dir} on first use, then starts the broker; returns once it is registered. */
    public static EmbeddedKafkaBroker start(Path dir, int brokerPort) throws Exception {
        PrivateFiles.ownerOnlyDirectory(dir);
        Map<String, String> clientSecurity = clientSecurity(dir);
        String password = PASSWORD.matcher(clientSecurity.get(SaslConfigs.SASL_JAAS_CONFIG)).results()
                .map(m -> m.group(1)).findFirst().orElseThrow(() -> new IllegalStateException(
                        "no password in " + clientPropertiesFile(dir) + "; delete it to generate a new one"));
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
        props.put("listeners", "BROKER://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "BROKER://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "BROKER");
        props.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        // The one account (user_<name>), also what the broker itself logs in with to its controller.
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USERNAME
                + "\" password=\"" + password + "\" user_" + USERNAME + "=\"" + password + "\";";
        props.put("listener.name.broker.plain.sasl.jaas.config", jaas);
        props.put("listener.name.controller.plain.sasl.jaas.config", jaas);
        props.put("log.dirs", logDir);
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // Short enough that a restart after kill -9 is not held long by the dead incarnation's session,
        // long enough that a busy machine does not make the controller fence its own lone broker.
        props.put("broker.session.timeout.ms", "5000");
        props.put("broker.heartbeat.interval.ms", "500");
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
        return new EmbeddedKafkaBroker(server, dir, bootstrap, clientSecurity);
    }

    /**
     * The client settings of the broker with its log in {@code dir} (a Kafka client properties
     * file, usable as {@code C18N_KAFKA_PROPERTIES_FILE}), with the password generated on first start.
     */
    static Map<String, String> clientSecurity(Path dir) throws IOException {
        Path file = clientPropertiesFile(dir);
        if (!Files.isRegularFile(file)) {
            String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USERNAME
                    + "\" password=\"" + PrivateFiles.randomSecret() + "\";";
            Properties client = new Properties();
            client.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            client.setProperty(SaslConfigs.SASL_MECHANISM, "PLAIN");
            client.setProperty(SaslConfigs.SASL_JAAS_CONFIG, jaas);
            java.io.StringWriter text = new java.io.StringWriter();
            client.store(text, "How a Kafka client logs in to the embedded broker (generated by c18n)");
            PrivateFiles.writeSecret(file, text.toString());
        }
        PrivateFiles.tighten(file);
        return KafkaConnection.readProperties(file);
    }

    /** Where the broker with its log in {@code dir} keeps its clients' settings and password ({@code 0600}). */
    public static Path clientPropertiesFile(Path dir) {
        return dir.resolve("c18n-client.properties");
    }

    /** This broker's client settings file, as nodes started with {@code C18N_KAFKA_PROPERTIES_FILE} read it. */
    public Path clientPropertiesFile() {
        return clientPropertiesFile(dir).toAbsolutePath();
    }

    /** The security settings every client of this broker needs (SASL with its password). */
    public Map<String, String> clientSecurity() {
        return clientSecurity;
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
