package org.c18n.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 from bundled binaries with its data under {@code dir}, kept across starts and
 * with durable settings (the library's defaults are for throwaway test databases).
 *
 * <p>Nobody gets in without the password generated on first start and kept beside the data
 * ({@link #passwordFile}, {@code 0600}): the library initialises with {@code trust} for every
 * local client, so initdb is given the password and scram-sha-256 instead, our own
 * {@code pg_hba.conf} asks for it on every connection type, the server listens on 127.0.0.1
 * only and opens no unix socket. A data dir initialised by an older version (trusting everyone)
 * gets its password and this {@code pg_hba.conf} on its next start.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USERNAME = "postgres";
    private static final String HBA = """
            # Written by c18n at every start: every connection needs the password (scram-sha-256).
            local   all           all                   scram-sha-256
            host    all           all   127.0.0.1/32    scram-sha-256
            host    all           all   ::1/128         scram-sha-256
            local   replication   all                   scram-sha-256
            host    replication   all   127.0.0.1/32    scram-sha-256
            host    replication   all   ::1/128         scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    public static EmbeddedPostgresServer start(Path dir) throws IOException {
        return start(dir, 0);
    }

    /** {@code port} 0: any free port. */
    public static EmbeddedPostgresServer start(Path dir, int port) throws IOException {
        PrivateFiles.ownerOnlyDirectory(dir);
        stopOrphan(dir);
        long started = System.nanoTime();
        boolean fresh = !Files.exists(dir.resolve("postgresql.conf")); // the library's own test for initdb
        boolean trusting = !fresh && trusts(dir.resolve("pg_hba.conf"));
        Path passwordFile = passwordFile(dir);
        String password;
        if (Files.isRegularFile(passwordFile)) {
            PrivateFiles.tighten(passwordFile);
            password = Files.readString(passwordFile).strip();
        } else if (!fresh && !trusting) {
            throw new IOException("PostgreSQL in " + dir + " asks for the password kept in " + passwordFile
                    + ", which is missing: restore it (from the backup of the data dir)");
        } else {
            password = PrivateFiles.randomSecret();
            PrivateFiles.writeSecret(passwordFile, password + System.lineSeparator());
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port > 0) {
            builder.setPort(port);
        }
        if (fresh) {
            // The library passes its "locale" settings to initdb as --key=value, after its own "-A trust".
            builder.setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
        }
        EmbeddedPostgres postgres = builder
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // Spring stops it after the projector; the library's own hook would race that.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(data -> {
                    if (!trusting) {
                        writeHba(data.toPath());
                    }
                })
                .start();
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, password);
        if (trusting) {
            server.requirePassword(dir);
        }
        log.info("PostgreSQL ready on 127.0.0.1:{} in {} ms (data {})", postgres.getPort(),
                (System.nanoTime() - started) / 1_000_000, dir);
        return server;
    }

    /** Where the password of the server with its data in {@code dir} is kept: beside that directory. */
    public static Path passwordFile(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".password");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    /** Whether {@code hba} lets anyone in without a password (as the library's initdb writes it). */
    private static boolean trusts(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return false;
        }
        return Files.readAllLines(hba).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .anyMatch(line -> line.matches(".*\\s(trust|peer|ident)(\\s.*)?"));
    }

    private static void writeHba(Path dataDir) {
        try {
            PrivateFiles.writeSecret(dataDir.resolve("pg_hba.conf"), HBA);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A data dir from an older version: its server started trusting local clients, as it always
     * did; give the superuser its password, then make every new connection need it.
     */
    private void requirePassword(Path dir) throws IOException {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(jdbcUrl(), USERNAME, password);
             java.sql.Statement sql = db.createStatement()) {
            // The password is URL-safe base64: nothing in it needs quoting.
            sql.execute("ALTER ROLE " + USERNAME + " PASSWORD '" + password + "'");
            writeHba(dir);
            sql.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IOException("could not set the PostgreSQL password in " + dir, e);
        }
        log.warn("PostgreSQL in {} trusted every local client (set up by an older version): it now requires the"
                + " password kept in {}", dir, passwordFile(dir));
    }

    /**
     * After a {@code kill -9} of the JVM its postgres child lives on, holding the port and the
     * data directory: stop it so this start can take over.
     */
    private static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        log.warn("Stopping orphaned PostgreSQL (pid {}) left by a previous run", pid);
        ProcessHandle process = orphan.get();
        process.destroy();
        try {
            process.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
