package org.c18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose file and the Kubernetes manifests against the app's own configuration: every
 * variable they set is one the app reads, ports and probe paths are the app's, the pieces refer
 * to each other correctly; and Docker Compose itself accepts the compose file.
 */
class DeploymentFilesTest {
    static final Path K8S = Path.of("deploy", "k8s");

    /** The C18N_* variables application.yml reads. */
    static Set<String> appVariables() throws IOException {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{(C18N_[A-Z0-9_]+):").matcher(Files.readString(Path.of("src/main/resources/application.yml")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object at = node;
        for (String key : path) {
            at = ((Map<String, Object>) at).get(key);
        }
        return (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String... path) {
        Object at = node;
        for (String key : path) {
            at = ((Map<String, Object>) at).get(key);
        }
        return (List<Map<String, Object>>) at;
    }

    Map<String, Map<String, Object>> manifests() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        try (var files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    Map<String, Object> manifest = map(doc);
                    assertThat(manifest).as(file.toString()).containsKeys("apiVersion", "kind", "metadata");
                    assertThat(byKind.put((String) manifest.get("kind"), manifest)).as("one " + manifest.get("kind")).isNull();
                }
            }
        }
        return byKind;
    }

    @Test
    void kubernetesManifestsFitTheAppAndEachOther() throws IOException {
        var manifests = manifests();
        assertThat(manifests).containsOnlyKeys("Deployment", "Service", "Ingress", "ConfigMap", "Secret");
        Set<String> known = appVariables();

        var deployment = manifests.get("Deployment");
        var podLabels = map(deployment, "spec", "template", "metadata", "labels");
        assertThat(map(deployment, "spec", "selector", "matchLabels")).isEqualTo(podLabels);
        assertThat((Integer) map(deployment, "spec").get("replicas")).isGreaterThanOrEqualTo(2);
        var container = list(deployment, "spec", "template", "spec", "containers").get(0);
        var port = list(container, "ports").get(0);
        assertThat(port).containsEntry("name", "http").containsEntry("containerPort", 8080);
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("port: ${C18N_PORT:8080}");
        // Actuator has a port of its own, on the loopback by default: the pods open it to the kubelet, not the Service.
        String appConfig = Files.readString(Path.of("src/main/resources/application.yml"));
        assertThat(appConfig).contains("port: ${C18N_MANAGEMENT_PORT:8081}", "address: ${C18N_MANAGEMENT_ADDRESS:127.0.0.1}");
        assertThat(list(container, "ports")).anySatisfy(p -> assertThat(p).containsEntry("name", "management")
                .containsEntry("containerPort", 8081));
        assertThat(list(container, "env")).anySatisfy(e -> assertThat(e).containsEntry("name", "C18N_MANAGEMENT_ADDRESS")
                .containsEntry("value", "0.0.0.0"));
        assertThat(list(container, "env")).anySatisfy(e -> assertThat(e).containsEntry("name", "C18N_MANAGEMENT_PORT")
                .containsEntry("value", "8081"));
        assertThat(map(deployment, "spec", "template", "metadata", "annotations")).containsEntry("prometheus.io/port", "8081");
        assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("path", "/actuator/health/readiness")
                .containsEntry("port", "management");
        assertThat(map(container, "livenessProbe", "httpGet")).containsEntry("path", "/actuator/health/liveness")
                .containsEntry("port", "management");
        assertThat(map(container, "startupProbe", "httpGet")).containsEntry("path", "/actuator/health/liveness")
                .containsEntry("port", "management");

        // Every variable the pods get is one the app reads; the ones a cluster needs are all there.
        Set<String> given = new HashSet<>();
        list(container, "env").forEach(e -> given.add((String) e.get("name")));
        given.addAll(map(manifests.get("ConfigMap"), "data").keySet());
        given.addAll(map(manifests.get("Secret"), "stringData").keySet());
        assertThat(known).containsAll(given);
        assertThat(given).contains("C18N_KAFKA_BOOTSTRAP_SERVERS", "C18N_KAFKA_REPLICATION_FACTOR", "C18N_DB_URL",
                "C18N_DB_USERNAME", "C18N_DB_PASSWORD", "C18N_ADMIN_PASSWORD", "C18N_NODE_ID", "C18N_PUBLIC_URL");
        List<String> sources = new ArrayList<>();
        list(container, "envFrom").forEach(s -> sources.add(s.containsKey("configMapRef")
                ? "ConfigMap/" + map(s, "configMapRef").get("name") : "Secret/" + map(s, "secretRef").get("name")));
        assertThat(sources).containsExactlyInAnyOrder("ConfigMap/" + map(manifests.get("ConfigMap"), "metadata").get("name"),
                "Secret/" + map(manifests.get("Secret"), "metadata").get("name"));
        // Media in an S3 bucket: the pods share no volume.
        assertThat(map(manifests.get("ConfigMap"), "data")).containsEntry("C18N_MEDIA_STORE", "s3")
                .containsKeys("C18N_S3_ENDPOINT", "C18N_S3_BUCKET", "C18N_S3_REGION", "C18N_S3_PATH_STYLE");
        assertThat(map(manifests.get("Secret"), "stringData")).containsKeys("C18N_S3_ACCESS_KEY", "C18N_S3_SECRET_KEY");
        assertThat(list(deployment, "spec", "template", "spec", "volumes")).noneSatisfy(v -> assertThat(v)
                .containsKey("persistentVolumeClaim"));
        assertThat(list(container, "volumeMounts")).extracting(m -> m.get("mountPath")).containsExactly("/data");
        assertThat(map(manifests.get("ConfigMap"), "data")).containsEntry("C18N_DATA_DIR", "/data");

        var service = manifests.get("Service");
        assertThat(map(service, "spec", "selector")).isEqualTo(podLabels);
        assertThat(list(service, "spec", "ports")).noneSatisfy(p -> assertThat(p).containsValue("management"));
        assertThat(list(service, "spec", "ports").get(0)).containsEntry("targetPort", "http");

        var ingress = manifests.get("Ingress");
        var paths = list(map(list(ingress, "spec", "rules").get(0), "http"), "paths");
        // /ws goes to the socket hub's own port, everything else to the web server's.
        var sockets = map(paths.get(0), "backend", "service");
        assertThat(paths.get(0)).containsEntry("path", "/ws");
        assertThat(sockets).containsEntry("name", map(service, "metadata").get("name"));
        assertThat(map(sockets, "port")).containsEntry("name", "ws");
        assertThat(list(service, "spec", "ports")).anySatisfy(p -> assertThat(p).containsEntry("name", "ws").containsEntry("targetPort", "ws"));
        assertThat(list(container, "ports")).anySatisfy(p -> assertThat(p).containsEntry("name", "ws").containsEntry("containerPort", 8082));
        assertThat(list(container, "env")).anySatisfy(e -> assertThat(e).containsEntry("name", "C18N_HUB_PORT")
                .containsEntry("value", "8082"));
        assertThat(map(manifests.get("ConfigMap"), "data")).containsEntry("C18N_HUB_PUBLIC_URL", "wss://c18n.example.org/ws");
        var backend = map(paths.get(1), "backend", "service");
        assertThat(backend).containsEntry("name", map(service, "metadata").get("name"));
        assertThat(map(backend, "port")).containsEntry("name", "http");
        assertThat(map(ingress, "metadata", "annotations")).containsKeys("nginx.ingress.kubernetes.io/proxy-read-timeout",
                "nginx.ingress.kubernetes.io/proxy-send-timeout", "nginx.ingress.kubernetes.io/affinity");
    }

    @Test
    void composeFileHasAKraftClusterPostgresTwoNodesAndAWebSocketProxy() throws Exception {
        Map<String, Object> compose = map(new Yaml().load(Files.readString(Path.of("compose.yaml"))));
        var services = map(compose, "services");
        assertThat(services).containsKeys("kafka-1", "kafka-2", "kafka-3", "postgres", "app-1", "app-2", "lb");
        Set<String> known = appVariables();
        Set<String> nodeIds = new HashSet<>();
        for (String app : List.of("app-1", "app-2")) {
            var env = map(services.get(app), "environment");
            assertThat(known).containsAll(env.keySet());
            assertThat(String.valueOf(env.get("C18N_KAFKA_BOOTSTRAP_SERVERS"))).contains("kafka-1:9092", "kafka-2:9092", "kafka-3:9092");
            nodeIds.add(String.valueOf(env.get("C18N_NODE_ID")));
        }
        assertThat(nodeIds).hasSize(2);
        // The profile s3 adds an S3-compatible store the nodes reach by the default endpoint.
        var minio = map(services.get("minio"));
        assertThat(minio.get("profiles")).isEqualTo(List.of("s3"));
        assertThat(String.valueOf(map(services.get("app-1"), "environment").get("C18N_S3_ENDPOINT"))).contains("minio:9000");
        assertThat(String.valueOf(map(services.get("app-1"), "environment").get("C18N_MEDIA_STORE"))).contains("local");
        // Search on OpenSearch is a profile of its own; the nodes are told where it is and pass C18N_SEARCH through.
        assertThat(String.valueOf(map(services, "opensearch").get("profiles"))).isEqualTo("[opensearch]");
        assertThat(map(services.get("app-1"), "environment")).containsKeys("C18N_SEARCH", "C18N_OPENSEARCH_URL");
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            assertThat(map(services.get(broker), "environment")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        }
        // The image checks its health on the container's loopback, where actuator listens by default.
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("HEALTHCHECK",
                "/dev/tcp/127.0.0.1/${C18N_MANAGEMENT_PORT:-8081}", "/actuator/health/readiness");
        String nginx = Files.readString(Path.of("deploy", "nginx.conf"));
        assertThat(nginx).contains("server app-1:8080;", "server app-2:8080;", "proxy_set_header Upgrade $http_upgrade;",
                "location /ws");
        // The sockets go to the nodes' hub listener, and the ticket names the proxy's /ws.
        assertThat(nginx).contains("server app-1:8082;", "server app-2:8082;", "proxy_pass http://c18n_ws;");
        assertThat(map(services.get("app-1"), "environment")).containsKey("C18N_HUB_PUBLIC_URL");

        // Docker Compose's own check (no engine needed); CI installs it (.ci/run).
        List<String> command = Files.isExecutable(Path.of("/usr/bin/docker-compose")) ? List.of("docker-compose")
                : List.of("docker", "compose");
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-f", "compose.yaml", "config", "--quiet"));
        ProcessBuilder withoutSecrets = new ProcessBuilder(full).redirectErrorStream(true);
        withoutSecrets.environment().remove("C18N_DB_PASSWORD");
        withoutSecrets.environment().remove("C18N_ADMIN_PASSWORD");
        Process process = withoutSecrets.start();
        process.getOutputStream().close();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).isTrue();
        // Without the two secrets it refuses to render at all...
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("C18N_");
        // ...and with them it accepts the file.
        ProcessBuilder withSecrets = new ProcessBuilder(full).redirectErrorStream(true);
        withSecrets.environment().put("C18N_DB_PASSWORD", "db-secret");
        withSecrets.environment().put("C18N_ADMIN_PASSWORD", "admin-secret");
        Process accepted = withSecrets.start();
        accepted.getOutputStream().close();
        assertThat(accepted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(accepted.exitValue()).as(new String(accepted.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }
}
