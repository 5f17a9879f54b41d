package org.c18n.infra;


import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where the log and the views live: the embedded broker and PostgreSQL under the data dir by
 * default, or a Kafka cluster and an external PostgreSQL when their addresses are configured.
 */
@Configuration(proxyBeanMethods = false)
public class InfrastructureConfig {

    /** Schema holding every view derived from the log (rebuilt whole by replay). */
    public static final String VIEW_SCHEMA = "c18n";

    /** The embedded broker and database (either may be external: null), started side by side. */
    record EmbeddedEngines(EmbeddedKafkaBroker kafka, EmbeddedPostgresServer postgres) {}

    /** Each takes about two seconds, mostly waiting (the database is a process of its own): together, not in turn. */
    @Bean
    EmbeddedEngines embeddedEngines(C18nProperties props) throws Exception {
        CompletableFuture<EmbeddedPostgresServer> postgres = props.db().embedded()
                ? CompletableFuture.supplyAsync(() -> {
                    try {
                        return EmbeddedPostgresServer.start(props.dataDir().resolve("postgres"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                : CompletableFuture.completedFuture(null);
        EmbeddedKafkaBroker kafka = null;
        try {
            if (props.kafka().embedded()) {
                kafka = EmbeddedKafkaBroker.start(props.dataDir().resolve("kafka"), 0);
            }
            return new EmbeddedEngines(kafka, postgres.join());
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            postgres.thenAccept(started -> closeQuietly(started));
            throw e instanceof CompletionException && e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void closeQuietly(EmbeddedPostgresServer postgres) {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException ignored) {
            // it was started for a node that could not start
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedKafkaBroker embeddedKafkaBroker(EmbeddedEngines engines) {
        return engines.kafka();
    }

    @Bean
    KafkaConnection kafkaConnection(C18nProperties props, ObjectProvider<EmbeddedKafkaBroker> broker) throws IOException {
        PrivateFiles.ownerOnlyDirectory(props.dataDir());
        if (props.kafka().embedded()) {
            EmbeddedKafkaBroker embedded = broker.getObject();
            return new KafkaConnection(embedded.bootstrapServers(), props.kafka().partitions(), (short) 1,
                    embedded.clientSecurity());
        }
        return new KafkaConnection(props.kafka().bootstrapServers(), props.kafka().partitions(),
                props.kafka().replicationFactor(), clusterSecurity(props.kafka()));
    }

    /** An external cluster's client settings: the properties file, then the named settings over it. */
    static Map<String, String> clusterSecurity(C18nProperties.Kafka kafka) throws IOException {
        Map<String, String> security = new HashMap<>();
        if (kafka.propertiesFile() != null && !kafka.propertiesFile().toString().isBlank()) {
            security.putAll(KafkaConnection.readProperties(kafka.propertiesFile()));
        }
        if (present(kafka.securityProtocol())) {
            security.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, kafka.securityProtocol().strip());
        }
        if (present(kafka.saslMechanism())) {
            security.put(SaslConfigs.SASL_MECHANISM, kafka.saslMechanism().strip());
        }
        if (present(kafka.saslUsername())) {
            String mechanism = security.getOrDefault(SaslConfigs.SASL_MECHANISM, "PLAIN");
            String module = mechanism.startsWith("SCRAM-") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            security.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=" + quoted(kafka.saslUsername())
                    + " password=" + quoted(kafka.saslPassword() == null ? "" : kafka.saslPassword()) + ";");
        }
        return security;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** A JAAS string literal (its parser takes backslash escapes inside double quotes). */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedEngines engines) {
        return engines.postgres();
    }

    @Bean
    DatabaseConnection databaseConnection(C18nProperties props, ObjectProvider<EmbeddedPostgresServer> postgres)
            throws IOException {
        PrivateFiles.ownerOnlyDirectory(props.dataDir());
        if (props.db().embedded()) {
            EmbeddedPostgresServer server = postgres.getObject();
            return new DatabaseConnection(server.jdbcUrl(), server.username(), server.password());
        }
        return new DatabaseConnection(props.db().url(), props.db().username(), props.db().password());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(C18nProperties props, DatabaseConnection db) {
        migrate(db, VIEW_SCHEMA);
        HikariConfig config = new HikariConfig();
        config.setPoolName("c18n");
        config.setJdbcUrl(db.url());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaximumPoolSize(props.db().poolSize());
        config.addDataSourceProperty("options", "-c search_path=" + VIEW_SCHEMA + ",public");
        return new HikariDataSource(config);
    }

    @Bean
    JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }


    /** Applies the operational migrations (schema public) and the view migrations into {@code viewSchema}. */
    public static void migrate(DatabaseConnection db, String viewSchema) {
        Flyway.configure()
                .dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/ops")
                .schemas("public")
                .table("flyway_ops_history")
                .load()
                .migrate();
        Flyway.configure()
                .dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/views")
                .schemas(viewSchema)
                .createSchemas(true)
                .load()
                .migrate();
    }
}
