package org.c18n.reader;

import org.c18n.infra.C18nProperties;
import org.c18n.infra.KafkaConnection;
import org.springframework.stereotype.Component;

/** What every reader of the log on this node uses, handed to {@link LogReader} in one piece. */
@Component
public record ReaderSupport(KafkaConnection kafka, ReaderHealth health, DeadLetters deadLetters, ConsumerLag lag,
                            C18nProperties props) {}
