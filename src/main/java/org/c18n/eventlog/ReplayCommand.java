package org.c18n.eventlog;

import java.util.Map;
import org.c18n.C18nApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code c18n replay}: drops the views and rebuilds them from the log, with progress and a summary. */
public final class ReplayCommand {
    private ReplayCommand() {}

    public static int run(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(C18nApplication.class)
                .web(WebApplicationType.NONE)
                .properties("c18n.replay-mode=true")
                .run(args)) {
            Replayer replayer = context.getBean(Replayer.class);
            String schema = InfrastructureConfig.VIEW_SCHEMA + "_replay";
            System.out.println("Rebuilding every view from the log...");
            long started = System.nanoTime();
            Replayer.Summary summary = replayer.rebuild(schema, applied -> {
                double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                System.out.printf("\r  %,d events replayed (%,.0f/s)", applied, applied / seconds);
                System.out.flush();
            });
            System.out.println();
            Map<String, String> before = replayer.checksums(InfrastructureConfig.VIEW_SCHEMA);
            Map<String, String> after = replayer.checksums(schema);
            replayer.swapIn(schema);
            System.out.printf("Replayed %,d events from %d partitions in %,d ms (%,.0f events/s).%n", summary.records(),
                    summary.endOffsets().size(), summary.millis(), summary.records() * 1000.0 / Math.max(1, summary.millis()));
            for (String table : Replayer.VIEW_TABLES) {
                String rows = after.get(table).split(":")[0];
                System.out.printf("  %-18s %8s rows  %s%n", table, rows,
                        after.get(table).equals(before.get(table)) ? "unchanged" : "rebuilt with differences");
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("Replay failed: " + e.getMessage());
            e.printStackTrace();
            return 1;
        }
    }
}
