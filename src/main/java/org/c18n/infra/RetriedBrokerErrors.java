package org.c18n.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * Keeps one of the embedded broker's errors out of the log (logback-spring.xml): the first write
 * of a transactional producer (the speed layer's) to a partition is refused with a retriable
 * {@code OutOfOrderSequenceException} when its batch with sequence 0 was itself sent back
 * ({@code CONCURRENT_TRANSACTIONS}, the previous commit still completing) while the next batch was
 * in flight. The producer sends both again and they are appended in order (Kafka's KIP-890
 * "transactions v2"); the broker logs each such refusal as an error with a stack trace, which on
 * a fresh node taking writes at once put a dozen of them on the terminal. Any other error of the
 * broker, and any other out-of-order sequence, is logged as before.
 */
public class RetriedBrokerErrors extends TurboFilter {
    static final String BROKER_APPENDS = "kafka.server.ReplicaManager";
    static final String RETRIED = "for transactions v2 idempotent producer with no existing state";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        boolean retried = level == Level.ERROR && logger.getName().equals(BROKER_APPENDS)
                && t instanceof OutOfOrderSequenceException && t.getMessage() != null && t.getMessage().contains(RETRIED);
        return retried ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
