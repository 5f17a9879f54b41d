package org.c18n.analytics;

import java.util.UUID;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.eventlog.Event;
import org.c18n.post.PostEvents;

/**
 * Facts of c18n.posts, with the community each happened in: only a post's creation names its
 * community, so it is remembered per post (every event of a post is keyed by the post, so they
 * all reach this store's partition). A share counts in the community it was shared into.
 */
final class PostCommunity implements FixedKeyProcessor<String, Event, Fact> {
    private FixedKeyProcessorContext<String, Fact> context;
    private KeyValueStore<String, UUID> communities;

    @Override
    public void init(FixedKeyProcessorContext<String, Fact> context) {
        this.context = context;
        this.communities = context.getStateStore(AnalyticsTopology.POST_COMMUNITY);
    }

    @Override
    public void process(FixedKeyRecord<String, Event> record) {
        Fact fact = Facts.of(record.value());
        if (fact.type().equals(PostEvents.CREATED)) {
            if (fact.community() != null) {
                communities.put(record.key(), fact.community());
            }
        } else if (!fact.type().equals(PostEvents.SHARED)) {
            fact = fact.in(communities.get(record.key()));
        }
        context.forward(record.withValue(fact));
    }
}
