package org.c18n.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A node's Prometheus page, as a scraper reads it. */
public final class Prometheus {
    private Prometheus() {}

    /** The text of {@code /actuator/prometheus} at a node's management address; empty when it does not answer. */
    public static String scrape(String managementBase) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(managementBase + "/actuator/prometheus")).header("Accept", "text/plain").build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /**
     * What a test that waited in vain for something the log's readers derive should say: the
     * speed layer's state and threads, its gate's waits, the projection's lag and the readers'
     * dead letters, as the node reports them now.
     */
    public static String readers(String managementBase) {
        return scrape(managementBase).lines()
                .filter(line -> line.matches("(c18n_streams_(state|threads)|c18n_streams_gate_wait_seconds_(count|max)"
                        + "|c18n_projection_lag|c18n_consumer_lag|c18n_dead_letters).*") && !line.endsWith(" 0.0"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Whether the speed layer's Kafka Streams client reports RUNNING in these metrics. */
    public static boolean streamsRunning(String metrics) {
        return metrics.matches("(?s).*c18n_streams_state\\{[^}]*state=\"RUNNING\"[^}]*\\} 1\\.0.*");
    }
}
