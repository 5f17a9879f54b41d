package org.c18n.support;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of the speed layer alone: a fresh topology for each test, fed events at times counted from {@link #T0}. */
public abstract class SpeedLayerTest {
    protected static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;
    protected SpeedLayerDriver driver;

    @BeforeEach
    void startDriver() {
        driver = new SpeedLayerDriver(stateDir);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    protected Event send(String topic, String key, String type, UUID actor, Object data, Instant at) {
        return driver.send(topic, key, type, actor, data, at);
    }

    protected Event send(String topic, String key, String type, UUID actor, Object data) {
        return send(topic, key, type, actor, data, T0);
    }
}
