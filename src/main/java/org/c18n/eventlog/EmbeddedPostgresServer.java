package org.c18n.eventlog;

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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path dir) throws IOException {
        return start(dir, 0);
    }

    /** {@code port} 0: any free port. */
    public static EmbeddedPostgresServer start(Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        stopOrphan(dir);
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port > 0) {
            builder.setPort(port);
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
                .start();
        log.info("PostgreSQL ready on port {} in {} ms (data {})", postgres.getPort(),
                (System.nanoTime() - started) / 1_000_000, dir);
        return new EmbeddedPostgresServer(postgres);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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
