package org.c18n.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.c18n.eventlog.Topics;
import org.c18n.infra.KafkaConnection;

/**
 * Waits until nothing is written to the log for a second: the speed layer derives events a moment
 * after their sources, so live and rebuilt views, or scans of the log, must wait for it.
 */
public final class QuietLog {
    private QuietLog() {}

    public static void await(KafkaConnection kafka) throws InterruptedException {
        try (var consumer = kafka.consumer("quiet-log-" + java.util.UUID.randomUUID(), Map.of())) {
            List<TopicPartition> partitions = KafkaConnection.partitionsOf(consumer, Topics.DOMAIN);
            Map<TopicPartition, Long> last = consumer.endOffsets(partitions);
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() - quietSince < 1_000_000_000L && System.nanoTime() < deadline) {
                Thread.sleep(200);
                Map<TopicPartition, Long> now = consumer.endOffsets(partitions);
                if (!now.equals(last)) {
                    last = now;
                    quietSince = System.nanoTime();
                }
            }
        }
    }
}
