package org.c18n.projection;

import java.util.List;
import javax.sql.DataSource;
import org.c18n.eventlog.PersonKeys;
import org.c18n.reader.DeadLetters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** The live views' store: every feature's projection applied to the live schema. */
@Configuration(proxyBeanMethods = false)
class ProjectionConfig {
    @Bean
    ProjectionStore projectionStore(DataSource dataSource, List<EventApplier> appliers, ObjectMapper json,
                                    DeadLetters deadLetters, PersonKeys keys) {
        return new ProjectionStore(dataSource, appliers, json, deadLetters, keys, true);
    }
}
