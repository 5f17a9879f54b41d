package org.c18n.eventlog;

import org.c18n.speedlayer.SpeedLayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every node must build the same speed-layer topology, sub-topology numbers included, or a node
 * is handed tasks it cannot run ("topic ... is unknown to the topology"). Iterating a
 * {@code Map.of}/{@code Set.of} while building it breaks that silently: their order changes from
 * one JVM to the next. This compares the topology of this JVM with those of other JVMs.
 */
class TopologyShapeTest {
    public static void main(String[] args) {
        System.out.print(SpeedLayer.build(org.c18n.C18nApplication.SPEED_LAYER, JsonMapper.builder().build(), (topic, partition, offset, event) -> true).describe());
    }

    @Test
    void everyJvmBuildsTheSameTopology() throws Exception {
        String here = SpeedLayer.build(org.c18n.C18nApplication.SPEED_LAYER, JsonMapper.builder().build(), (topic, partition, offset, event) -> true).describe().toString();
        for (int jvm = 0; jvm < 3; jvm++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TopologyShapeTest.class.getName())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String there = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(there).isEqualTo(here);
        }
    }
}
