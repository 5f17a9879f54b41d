package org.c18n.reader;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
import org.c18n.infra.KafkaConnection;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * How far behind the log each watched consumer group is, from the offsets the group commits, as
 * the gauge {@code c18n_consumer_lag{group}} refreshed every 5 s. Measured from the broker, not
 * inside the reader, so a reader that hangs or died shows a lag that grows. Whether the last
 * refresh reached the broker is the {@code eventlog} health.
 */
@Component
public class ConsumerLag implements DisposableBean {
    private final MeterRegistry registry;
    private final Admin admin;
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    private volatile boolean brokerAnswers;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "c18n-consumer-lag");
        thread.setDaemon(true);
        return thread;
    });

    public ConsumerLag(KafkaConnection kafka, MeterRegistry registry, C18nProperties props) {
        this.registry = registry;
        this.admin = kafka.admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
        if (!props.replayMode()) { // `c18n replay` serves nobody: nothing to watch
            refresher.scheduleWithFixedDelay(this::refresh, 1, 5, TimeUnit.SECONDS);
        }
    }

    /** Watches {@code group}, shown as {@code c18n_consumer_lag{group="<label>"}}. */
    public void watch(String group, String label) {
        if (groups.add(group)) {
            Gauge.builder("c18n.consumer.lag", lag, l -> l.getOrDefault(group, -1L))
                    .description("Records of the log a reader has not processed yet (-1: not known yet)")
                    .tag("group", label)
                    .register(registry);
        }
    }

    /** The last lag seen of a watched group; -1 while not known. */
    public long of(String group) {
        return lag.getOrDefault(group, -1L);
    }

    /** Whether the last refresh reached the broker. */
    public boolean brokerAnswers() {
        return brokerAnswers;
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
    private Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(5, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
