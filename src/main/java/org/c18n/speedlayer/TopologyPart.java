package org.c18n.speedlayer;

import org.apache.kafka.streams.StreamsBuilder;
import tools.jackson.databind.ObjectMapper;

/** What one feature adds to the speed layer's topology, from the shared sources. */
@FunctionalInterface
public interface TopologyPart {
    void addTo(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json);
}
