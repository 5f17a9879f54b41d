package org.c18n.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node OpenSearch (the minimal distribution the build unpacks into
 * target/opensearch), started once per test JVM on free ports, security off, a small heap, and
 * stopped when the JVM exits. OpenSearch refuses to run as root: as root it runs as the
 * unprivileged user {@value #USER} (made by .ci/run), which gets the unpacked node and its data.
 */
public final class OpenSearchNode {
    static final String USER = "c18n-test";
    private static OpenSearchNode started;

    private final Process process;
    private final int port;

    private OpenSearchNode(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The node of this JVM, started at the first call. */
    public static synchronized OpenSearchNode get() {
        if (started == null) {
            try {
                started = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return started;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * OpenSearch 2 installs a Security Manager, which Java 24 and later refuse: it runs on a JDK 17 to 23,
     * which `./c18n test` finds and names in C18N_TEST_OPENSEARCH_JAVA_HOME.
     */
    private static String javaHome() {
        String named = System.getenv("C18N_TEST_OPENSEARCH_JAVA_HOME");
        if (named != null && !named.isBlank()) {
            return named;
        }
        if (Runtime.version().feature() >= 24) {
            throw new IllegalStateException("OpenSearch 2 needs a JDK 17 to 23 and none was named: install one under "
                    + "/usr/lib/jvm and run ./c18n test, or set C18N_TEST_OPENSEARCH_JAVA_HOME");
        }
        return System.getProperty("java.home");
    }

    private static OpenSearchNode start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("c18n.test.opensearch-home", "target/opensearch/opensearch-2.19.1")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/opensearch"))) {
            throw new IllegalStateException("No OpenSearch at " + home + ": the build unpacks it (mvn process-test-resources)");
        }
        describeAnalysisModule(home);
        Path data = Path.of("target", "test-data", "opensearch-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(data.resolve("logs"));
        int port = ChildPlatform.freePort();
        int transport = ChildPlatform.freePort();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run("chown", "-R", USER, home.toString(), data.toString());
        }
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.addAll(List.of("env", "OPENSEARCH_JAVA_HOME=" + javaHome(),
                "OPENSEARCH_JAVA_OPTS=-Xms256m -Xmx" + System.getProperty("c18n.test.opensearch-heap", "512m"), "OPENSEARCH_PATH_CONF=" + home.resolve("config"),
                home.resolve("bin/opensearch").toString(),
                "-Ediscovery.type=single-node", "-Enetwork.host=127.0.0.1", "-Ehttp.port=" + port,
                "-Etransport.port=" + transport, "-Epath.data=" + data.resolve("data"), "-Epath.logs=" + data.resolve("logs"),
                "-Ecluster.routing.allocation.disk.threshold_enabled=false", "-Ecluster.name=c18n-test"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("logs/console.log").toFile());
        Process process = builder.start();
        OpenSearchNode node = new OpenSearchNode(process, port);
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("OpenSearch exited; see " + data.resolve("logs/console.log"));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(node.url()
                        + "/_cluster/health?wait_for_status=yellow&timeout=1s")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return node;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        node.stop();
        throw new IllegalStateException("OpenSearch not ready in 120 s; see " + data.resolve("logs/console.log"));
    }

    /**
     * The build copies the {@code analysis-common} module (stemmers, stop words: what every full
     * distribution has) into the minimal one; a module also needs the descriptor it ships with.
     */
    private static void describeAnalysisModule(Path home) throws IOException {
        String version = home.getFileName().toString().substring("opensearch-".length());
        Path module = home.resolve("modules/analysis-common");
        if (!Files.exists(module.resolve("analysis-common-" + version + ".jar"))) {
            throw new IllegalStateException("No analysis-common module in " + module + ": the build copies it (mvn process-test-resources)");
        }
        String descriptor = String.join("\n",
                "description=Adds the built-in analysers and token filters to OpenSearch.", "version=" + version,
                "name=analysis-common", "classname=org.opensearch.analysis.common.CommonAnalysisPlugin", "java.version=11",
                "opensearch.version=" + version, "custom.foldername=", "extended.plugins=", "has.native.controller=false", "");
        Path file = module.resolve("plugin-descriptor.properties");
        // Written once: a node another test JVM starts may be reading it.
        if (!Files.exists(file) || !Files.readString(file).equals(descriptor)) {
            Files.writeString(file, descriptor);
        }
    }

    private void stop() {
        // The node itself, then runuser and env: destroying the parent alone may leave the JVM running.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; is there a user " + USER
                    + "? (.ci/run makes it: useradd --system --no-create-home " + USER + ")");
        }
    }
}
