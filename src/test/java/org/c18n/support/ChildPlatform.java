package org.c18n.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.c18n.client.Api;

/** The platform in a JVM of its own, as a user starts it: so that a test can kill it with -9. */
public final class ChildPlatform {
    private final Path log;
    private final List<String> args;
    public final int port;
    /** Actuator's port (health, metrics), on 127.0.0.1 as by default. */
    public final int managementPort;
    private Process process;

    public ChildPlatform(Path log, int port, String... args) {
        this.log = log;
        this.port = port;
        try {
            this.managementPort = freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.args = List.of(args);
    }

    public String base() {
        return "http://localhost:" + port;
    }

    public String managementBase() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Starts it and waits until it answers HTTP. */
    public ChildPlatform start() throws Exception {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command(List.of("--server.port=" + port, "--management.server.port=" + managementPort, "--c18n.hub.port=0")));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        Api probe = new Api(base());
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("platform exited; see " + log);
            }
            if (probe.get("/api/v1/auth/providers").status() == 200) {
                return this;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("platform not ready in 120 s; see " + log);
    }

    /**
     * What the launcher (`./c18n`) gives the JVM: the libraries' native code and sun.misc.Unsafe allowed,
     * without Java 25's warnings on the terminal.
     */
    public static final List<String> JDK_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    /** The java command line for this platform with {@code extra} arguments (also for `replay`). */
    public List<String> command(List<String> extra) {
        // Only the quick compiler: a test's node lives a minute or two, which the optimising one spends compiling, on
        // cores the other nodes and the test need (CrashTest 110 -> 84 s, ChatFailoverTest 72 -> 61 s).
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JDK_OPTIONS);
        command.addAll(List.of("-Xmx768m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.c18n.C18nApplication"));
        command.addAll(extra.stream().filter(a -> !a.startsWith("--")).toList());
        command.addAll(args);
        command.addAll(extra.stream().filter(a -> a.startsWith("--")).toList());
        return command;
    }

    /** SIGKILL: no shutdown hooks, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
