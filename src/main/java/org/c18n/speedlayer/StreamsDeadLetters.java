package org.c18n.speedlayer;

import org.c18n.reader.DeadLetters;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The speed layer's answer to a record it cannot read or process: recorded as a dead letter
 * (the source record's raw bytes) and skipped, so that one record never stops a stream task.
 * Kafka Streams creates it from its configuration, where {@link SpeedLayer} puts the
 * {@link DeadLetters} under {@value #DEAD_LETTERS}.
 */
public class StreamsDeadLetters implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    public static final String DEAD_LETTERS = "c18n.dead-letters";
    private static final String READER = "streams";

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = (DeadLetters) configs.get(DEAD_LETTERS);
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        deadLetters.record(READER, new DeadLetters.Letter(record.topic(), record.partition(), record.offset(),
                record.key(), record.value()), DeadLetters.reason("unreadable", exception));
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        deadLetters.record(READER, new DeadLetters.Letter(context.topic(), context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue()),
                DeadLetters.reason("cannot be processed in " + context.processorNodeId(), exception));
        return ProcessingHandlerResponse.CONTINUE;
    }
}
