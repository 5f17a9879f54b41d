package org.c18n.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.c18n.reader.ConsumerLag;
import org.c18n.speedlayer.SpeedLayer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Watches the log for operators: whether the broker answers (the {@code eventlog} health, part of
 * readiness), how far behind the views are ({@code c18n_projection_lag}), and the speed layer's
 * lag, which is no {@link org.c18n.reader.LogReader} (the readers show their own).
 */
@Component("eventlog")
public class LogMonitor implements HealthIndicator {
    private final ConsumerLag lag;

    public LogMonitor(ConsumerLag lag, MeterRegistry registry) {
        this.lag = lag;
        lag.watch(SpeedLayer.APPLICATION_ID, SpeedLayer.APPLICATION_ID);
        Gauge.builder("c18n.projection.lag", lag, l -> l.of(Projector.GROUP))
                .description("Events in the log that the views (PostgreSQL) do not reflect yet").register(registry);
    }

    @Override
    public Health health() {
        Health.Builder health = lag.brokerAnswers() ? Health.up() : Health.down();
        // No broker address: health answers whoever can reach the management port.
        return health.withDetail("projectionLag", lag.of(Projector.GROUP)).build();
    }
}
