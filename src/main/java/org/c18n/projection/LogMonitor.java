package org.c18n.projection;

import org.c18n.infra.KafkaConnection;
import org.c18n.speedlayer.SpeedLayer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.c18n.infra.C18nProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Watches the log for operators: how far behind it each reader is (the projector, the speed layer
 * and this node's search indexer, from the offsets their groups commit), as Prometheus gauges
 * refreshed every 5 s, and whether the broker answers (the {@code eventlog} health, part of
 * readiness).
 */
@Component("eventlog")
public class LogMonitor implements HealthIndicator, DisposableBean {
    private final List<String> groups;
    private final Admin admin;
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    private volatile boolean brokerAnswers;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "c18n-log-monitor");
        thread.setDaemon(true);
        return thread;
    });

    public LogMonitor(KafkaConnection kafka, MeterRegistry registry, C18nProperties props) {
        this.groups = List.of(Projector.GROUP, SpeedLayer.APPLICATION_ID, "c18n-search-" + props.nodeIdentity());
        this.admin = kafka.admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
        for (String group : groups) {
            Gauge.builder("c18n.consumer.lag", lag, l -> l.getOrDefault(group, -1L))
                    .description("Records of the log a reader has not processed yet (-1: not known yet)")
                    .tag("group", group.startsWith("c18n-search-") ? "c18n-search" : group)
                    .register(registry);
        }
        Gauge.builder("c18n.projection.lag", lag, l -> l.getOrDefault(Projector.GROUP, -1L))
                .description("Events in the log that the views (PostgreSQL) do not reflect yet").register(registry);
        if (!props.replayMode()) { // `c18n replay` serves nobody: nothing to watch
            refresher.scheduleWithFixedDelay(this::refresh, 1, 5, TimeUnit.SECONDS);
        }
    }

    private void refresh() {
        try {
            for (String group : groups) {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                var groupEnds = ends(committed.keySet());
                lag.put(group, committed.entrySet().stream().filter(e -> e.getValue() != null)
                        .mapToLong(e -> Math.max(0, groupEnds.getOrDefault(e.getKey(), 0L) - e.getValue().offset())).sum());
            }
            brokerAnswers = true;
        } catch (Exception e) {
            brokerAnswers = false;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last committed offset + 1 of each partition (transaction markers of open transactions not counted). */
    private Map<TopicPartition, Long> ends(java.util.Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(5, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    @Override
    public Health health() {
        Health.Builder health = brokerAnswers ? Health.up() : Health.down();
        // No broker address: health answers whoever can reach the management port.
        return health.withDetail("projectionLag", lag.getOrDefault(Projector.GROUP, -1L)).build();
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
