package org.c18n.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * Keeps one kind of the embedded broker's errors out of the log (logback-spring.xml): a write
 * refused with {@code OutOfOrderSequenceException}. A transactional producer's (the speed layer's)
 * batch is sent back with {@code CONCURRENT_TRANSACTIONS} while its previous commit completes (Kafka's
 * KIP-890 "transactions v2"); the batches behind it, already in flight, then arrive out of order —
 * "… with no existing state" on a partition's first write, "… (current end sequence number)" on a
 * later one. The producer hears {@code OUT_OF_ORDER_SEQUENCE_NUMBER} and sends them again in order
 * (its own warning says "retrying"); were it unable to, its transaction would fail on its side, where
 * the speed layer logs it. The broker's error with a stack trace for each refusal added nothing to
 * that, and put a dozen of them on the terminal of a fresh node taking writes. Any other error of
 * the broker is logged as before.
 */
public class RetriedBrokerErrors extends TurboFilter {
    static final String BROKER_APPENDS = "kafka.server.ReplicaManager";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        boolean retried = level == Level.ERROR && logger.getName().equals(BROKER_APPENDS)
                && t instanceof OutOfOrderSequenceException;
        return retried ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
