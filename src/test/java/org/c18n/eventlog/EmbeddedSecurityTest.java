package org.c18n.eventlog;

import org.c18n.client.Api;
import org.c18n.infra.DatabaseConnection;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.c18n.infra.KafkaConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The embedded default as a local attacker finds it: another process on the same machine gets
 * into neither PostgreSQL nor the broker without the credentials generated on first start, cannot
 * read those (nor anything else in the data dir), reaches nothing but the loopback, and health is
 * neither on the public port nor telling internal addresses.
 */
class EmbeddedSecurityTest extends PlatformTest {
    @Autowired
    DatabaseConnection db;
    @Autowired
    KafkaConnection kafka;

    @Test
    void postgresRefusesConnectionsWithoutTheRightPassword() throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(db.url(), "postgres", null).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> DriverManager.getConnection(db.url(), "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThat(db.password()).hasSizeGreaterThanOrEqualTo(40)
                .isEqualTo(Files.readString(dataDir().resolve("postgres.password")).strip());
        try (Connection ok = DriverManager.getConnection(db.url(), db.username(), db.password());
             var rules = ok.createStatement().executeQuery(
                     "SELECT type, auth_method, error FROM pg_hba_file_rules")) {
            List<String> seen = new ArrayList<>();
            while (rules.next()) {
                assertThat(rules.getString("error")).isNull();
                assertThat(rules.getString("auth_method")).as(rules.getString("type")).isEqualTo("scram-sha-256");
                seen.add(rules.getString("type"));
            }
            assertThat(seen).contains("local", "host");
            assertThat(setting(ok, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(setting(ok, "unix_socket_directories")).isEmpty(); // no socket file anywhere, e.g. in /tmp
            assertThat(setting(ok, "password_encryption")).isEqualTo("scram-sha-256");
        }
    }

    static String setting(Connection db, String name) throws SQLException {
        try (var rs = db.createStatement().executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void kafkaClientsWithoutTheCredentialsCanNeitherReadNorWrite() {
        assertThat(kafka.security()).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        // No login at all: the broker closes the connection, so every request times out.
        long started = System.nanoTime();
        try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        Properties plain = new Properties();
        plain.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        plain.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        try (var producer = new KafkaProducer<>(plain, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.USERS, "k", "{}")).get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        // The right protocol with a guessed password: refused as such, at once.
        Map<String, Object> guessed = new HashMap<>(kafka.security());
        guessed.put(SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"c18n\" password=\"c18n\";");
        guessed.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        guessed.put(ConsumerConfig.GROUP_ID_CONFIG, "intruder");
        guessed.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (var consumer = new KafkaConsumer<>(guessed, new StringDeserializer(), new StringDeserializer())) {
            assertThatThrownBy(() -> consumer.partitionsFor(Topics.USERS, Duration.ofSeconds(5)))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
        // Our own clients, with the generated account, get in.
        try (var ours = kafka.consumer("security-test", Map.of())) {
            assertThat(ours.partitionsFor(Topics.USERS, Duration.ofSeconds(10))).hasSize(kafka.partitions());
        }
    }

    @Test
    void secretsAndTheDataDirAreForTheOwnerOnly() throws IOException {
        for (Path dir : List.of(dataDir(), dataDir().resolve("postgres"), dataDir().resolve("kafka"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString())
                    .isEqualTo("rwx------");
        }
        for (Path secret : List.of(dataDir().resolve("postgres.password"),
                EmbeddedKafkaBroker.clientPropertiesFile(dataDir().resolve("kafka")),
                dataDir().resolve("postgres").resolve("pg_hba.conf"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(kafka.toString()).doesNotContain("password");
        assertThat(db.toString()).doesNotContain(db.password());
    }

    @Test
    void healthIsOnlyOnTheManagementPortAndNamesNoAddress() {
        assertThat(new Api(base()).get("/actuator/health").status()).isEqualTo(404);
        assertThat(new Api(base()).get("/actuator/prometheus").status()).isEqualTo(404);
        var health = new Api(managementBase()).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        String text = health.raw();
        assertThat(text).contains("\"eventlog\"", "\"db\"")
                .doesNotContain(kafka.bootstrapServers(), "127.0.0.1", "localhost")
                .doesNotContainPattern("[A-Za-z0-9.\\-]+:[0-9]{2,5}\\b")
                .doesNotContainPattern("\\b[0-9]{1,3}(\\.[0-9]{1,3}){3}\\b");
    }

    @Test
    void theEnginesAndActuatorListenOnTheLoopbackOnly() throws Exception {
        int kafkaPort = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        int postgresPort = URI.create(db.url().substring("jdbc:".length())).getPort();
        for (int port : new int[] {kafkaPort, postgresPort, managementPort}) {
            assertThat(reachable(InetAddress.getLoopbackAddress(), port)).as("loopback port " + port).isTrue();
        }
        Optional<InetAddress> external = externalAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");
        for (int port : new int[] {kafkaPort, postgresPort, managementPort}) {
            assertThat(reachable(external.get(), port)).as(external.get() + ":" + port).isFalse();
        }
        assertThat(reachable(external.get(), port)).as("the public port is public").isTrue();
    }

    static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    static Optional<InetAddress> externalAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                Optional<InetAddress> v4 = nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
                if (v4.isPresent()) {
                    return v4;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A data dir that an older version initialised (trusting every local client, as the library
     * does): the next start gives it a password and asks for it.
     */
    @Test
    void anOlderTrustingDataDirRequiresThePasswordAfterItsNextStart() throws Exception {
        Path dir = Path.of("target", "test-data", "old-postgres-" + UUID.randomUUID()).resolve("postgres");
        Files.createDirectories(dir.getParent());
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
             Connection trusted = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"))) {
            trusted.createStatement().execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgresServer upgraded = EmbeddedPostgresServer.start(dir)) {
            assertThatThrownBy(() -> DriverManager.getConnection(upgraded.jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            try (Connection ok = DriverManager.getConnection(upgraded.jdbcUrl(), upgraded.username(), upgraded.password());
                 var rs = ok.createStatement().executeQuery("SELECT v FROM kept")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(EmbeddedPostgresServer.passwordFile(dir))))
                    .isEqualTo("rw-------");
        }
        // And on the start after that, it starts straight with the password.
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dir);
             Connection ok = DriverManager.getConnection(again.jdbcUrl(), again.username(), again.password())) {
            assertThat(ok.isValid(2)).isTrue();
        }
    }
}
