package org.c18n.infra;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

/** The broker's refusals of out-of-order writes, which their producer sends again, stay out of the log; its other errors do not. */
class RetriedBrokerErrorsTest {

    @Test
    void onlyTheRetriedOutOfOrderWritesAreLeftOut() {
        LoggerContext context = new LoggerContext();
        context.addTurboFilter(new RetriedBrokerErrors());
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.setContext(context);
        logged.start();
        Logger broker = context.getLogger(RetriedBrokerErrors.BROKER_APPENDS);
        broker.addAppender(logged);
        Logger other = context.getLogger("kafka.server.KafkaApis");
        other.addAppender(logged);

        broker.error("Error processing append operation on partition c18n-streams-x-changelog-2",
                new OutOfOrderSequenceException("Invalid sequence number for producer 1 at offset 64 in partition "
                        + "c18n-streams-x-changelog-2: 1 (incoming seq. number). Expected sequence 0 "
                        + "for transactions v2 idempotent producer with no existing state."));
        broker.error("Error processing append operation on partition c18n-streams-actor-hour-sightings-repartition-0",
                new OutOfOrderSequenceException("Out of order sequence number for producer 1 at offset 31 in partition "
                        + "c18n-streams-actor-hour-sightings-repartition-0: 5 (incoming seq. number), 0 (current end "
                        + "sequence number)"));
        broker.error("Error processing append operation on partition c18n.posts-0", new IllegalStateException("disk"));
        broker.warn("Out of order sequence number", new OutOfOrderSequenceException("a warning stays"));
        other.error("Out of order sequence number", new OutOfOrderSequenceException("another logger's error stays"));

        assertThat(logged.list).extracting(e -> e.getThrowableProxy().getMessage())
                .containsExactly("disk", "a warning stays", "another logger's error stays");
    }
}
