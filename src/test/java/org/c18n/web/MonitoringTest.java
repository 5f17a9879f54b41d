package org.c18n.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Prometheus;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;

/** What operators and orchestrators read: health probes and Prometheus metrics. */
class MonitoringTest extends PlatformTest {

    String metrics() {
        String metrics = Prometheus.scrape(managementBase());
        assertThat(metrics).as("/actuator/prometheus answers 200").isNotEmpty();
        return metrics;
    }

    @Test
    void anAnswerTheClientCannotAcceptIs406NotA500() {
        var reply = new Api(managementBase()).get("/actuator/prometheus"); // the test client accepts JSON only
        assertThat(reply.status()).isEqualTo(406);
    }

    static double value(String metrics, String line) {
        return metrics.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(Double.NaN);
    }

    @Test
    void probesSayReadyWhenTheLogAndDatabaseAnswer() {
        var readiness = Eventually.get(() -> new Api(managementBase()).get("/actuator/health/readiness"), r -> r.status() == 200,
                java.time.Duration.ofSeconds(20));
        assertThat(readiness.body().path("status").asString()).isEqualTo("UP");
        assertThat(readiness.body().path("components").path("eventlog").path("status").asString()).isEqualTo("UP");
        assertThat(readiness.body().path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(new Api(managementBase()).get("/actuator/health/liveness").body().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsLagConnectionsDeliveriesStreamStateAndRequestLatency() {
        Api ann = signedUp("mon");
        Api bob = signedUp("mon");
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        String before = metrics();
        double delivered = value(before, "c18n_websocket_deliveries_total");
        Socket socket = Socket.connect(bob);
        socket.await("hello");
        ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "counted"));
        socket.await("message");

        String after = metrics();
        assertThat(value(after, "c18n_websocket_connections")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "c18n_websocket_deliveries_total")).isGreaterThan(delivered);
        // The speed layer's state as it settles after the start (REBALANCING, then RUNNING).
        assertThat(Eventually.get(this::metrics, Prometheus::streamsRunning,
                java.time.Duration.ofSeconds(30))).containsPattern("c18n_streams_threads\\{[^}]*state=\"RUNNING\"[^}]*\\} [1-9]");
        assertThat(after).contains("http_server_requests_seconds_count{", "uri=\"/api/v1/rooms/{id}/messages\"");
        for (String group : new String[] {"c18n-projector", "c18n-streams", "c18n-search"}) {
            String line = "c18n_consumer_lag{group=\"" + group + "\"";
            // Known (not -1) once the monitor has read the groups' offsets, and caught up once the work is done.
            assertThat(Eventually.get(() -> value(metrics(), line), lag -> lag == 0, java.time.Duration.ofSeconds(30)))
                    .as(group).isZero();
        }
        assertThat(Eventually.get(() -> value(metrics(), "c18n_projection_lag{"), lag -> lag == 0,
                java.time.Duration.ofSeconds(30))).as("c18n_projection_lag").isZero();
        socket.close();
    }
}
