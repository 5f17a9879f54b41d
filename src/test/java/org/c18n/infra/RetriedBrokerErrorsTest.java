package org.c18n.infra;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

/** The broker's retried first-write refusal stays out of the log; its other errors do not. */
class RetriedBrokerErrorsTest {

    @Test
    void onlyTheRetriedFirstWriteOfATransactionalProducerIsLeftOut() {
        LoggerContext context = new LoggerContext();
        context.addTurboFilter(new RetriedBrokerErrors());
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.setContext(context);
        logged.start();
        Logger broker = context.getLogger(RetriedBrokerErrors.BROKER_APPENDS);
        broker.addAppender(logged);

        broker.error("Error processing append operation on partition c18n-streams-x-changelog-2",
                new OutOfOrderSequenceException("Invalid sequence number for producer 1 at offset 64 in partition "
                        + "c18n-streams-x-changelog-2: 1 (incoming seq. number). Expected sequence 0 "
                        + RetriedBrokerErrors.RETRIED + "."));
        broker.error("Error processing append operation on partition c18n.posts-0",
                new OutOfOrderSequenceException("Out of order sequence number for producer 7 at offset 9 in partition "
                        + "c18n.posts-0: 51 (incoming seq. number), 49 (current end sequence number)"));
        broker.error("Error processing append operation on partition c18n.posts-0", new IllegalStateException("disk"));
        broker.warn("Expected sequence 0 " + RetriedBrokerErrors.RETRIED,
                new OutOfOrderSequenceException(RetriedBrokerErrors.RETRIED));

        assertThat(logged.list).extracting(e -> e.getThrowableProxy().getClassName()).containsExactly(
                OutOfOrderSequenceException.class.getName(), IllegalStateException.class.getName(),
                OutOfOrderSequenceException.class.getName());
        assertThat(logged.list.get(0).getThrowableProxy().getMessage()).contains("current end sequence number");
    }
}
