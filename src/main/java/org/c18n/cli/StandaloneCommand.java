package org.c18n.cli;

import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.c18n.infra.PrivateFiles;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code c18n kafka [--port 9092]} and {@code c18n postgres [--port 5432]}: the engines the
 * platform embeds, started alone, for running several app nodes on one machine (each node started
 * with the cluster variables this prints). Data under {@code $C18N_DATA_DIR/kafka-broker} and
 * {@code $C18N_DATA_DIR/postgres-server}; they run until interrupted.
 */
public final class StandaloneCommand {
    private StandaloneCommand() {}

    public static int run(String service, String[] args) {
        int port = service.equals("kafka") ? 9092 : 5432;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                try {
                    port = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    System.err.println(service + ": --port must be a number");
                    return 2;
                }
            } else {
                System.err.println("usage: c18n " + service + " [--port N]");
                return 2;
            }
        }
        Path dataDir = Path.of(System.getenv().getOrDefault("C18N_DATA_DIR", "./data"));
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            PrivateFiles.ownerOnlyDirectory(dataDir);
            AutoCloseable server;
            if (service.equals("kafka")) {
                Path dir = dataDir.resolve("kafka-broker");
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, port);
                server = broker;
                // Only this account can read the credentials file: nodes run as the same user on this machine.
                System.out.printf("%nKafka broker ready at %1$s (data %2$s; it listens on 127.0.0.1 only and asks for the"
                        + " password in %3$s). Start app nodes with%n"
                        + "  C18N_KAFKA_BOOTSTRAP_SERVERS=%1$s C18N_KAFKA_PROPERTIES_FILE=%3$s%n", broker.bootstrapServers(), dir,
                        broker.clientPropertiesFile());
            } else {
                Path dir = dataDir.resolve("postgres-server");
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir, port);
                server = postgres;
                Path password = EmbeddedPostgresServer.passwordFile(dir).toAbsolutePath();
                System.out.printf("%nPostgreSQL ready (data %s; it listens on 127.0.0.1 only and asks for the password in %s)."
                        + " Start app nodes with%n  C18N_DB_URL=%s C18N_DB_USERNAME=%s C18N_DB_PASSWORD=\"$(cat %s)\"%n",
                        dir, password, postgres.jdbcUrl(), postgres.username(), password);
            }
            System.out.println("Press Ctrl-C to stop.");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println(service + ": stopping failed: " + e.getMessage());
                }
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            System.err.println(service + ": could not start: " + e.getMessage());
            return 1;
        }
    }
}
