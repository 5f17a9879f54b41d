package org.c18n.analytics;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * Facts of c18n.posts, with the community each happened in: only a post's creation names its
 * community, so it is remembered per post (every event of a post is keyed by the post, so they
 * all reach this store's partition). A share counts in the community it was shared into.
 */
final class PostCommunity implements FixedKeyProcessor<String, String, String> {
    private final ObjectMapper json;
    private FixedKeyProcessorContext<String, String> context;
    private KeyValueStore<String, String> communities;

    PostCommunity(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, String> context) {
        this.context = context;
        this.communities = context.getStateStore(AnalyticsTopology.POST_COMMUNITY);
    }

    @Override
    public void process(FixedKeyRecord<String, String> record) {
        Fact fact = Facts.of(json, record.value());
        if (fact.type().equals(PostEvents.CREATED)) {
            communities.put(record.key(), fact.community());
        } else if (!fact.type().equals(PostEvents.SHARED)) {
            fact = fact.in(communities.get(record.key()));
        }
        context.forward(record.withValue(fact.text()));
    }
}
