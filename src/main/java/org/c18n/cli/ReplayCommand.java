package org.c18n.cli;

import org.c18n.infra.InfrastructureConfig;
import org.c18n.projection.Replayer;
import org.c18n.speedlayer.SpeedLayer;

import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code c18n replay}: drops the views and rebuilds them from the log, with progress and a
 * summary. {@code --check} only compares: exit code 0 when the live views equal the rebuilt ones.
 */
public final class ReplayCommand {
    private ReplayCommand() {}

    private static int resetSpeedLayer(SpeedLayer speedLayer) {
        try {
            speedLayer.reset();
            System.out.println("Speed layer reset: the analytics, notifications and moderation rules are recomputed from the"
                    + " start of the log when the platform next starts.");
            return 0;
        } catch (IllegalStateException e) {
            System.out.println("Speed layer not reset: " + e.getMessage());
            return 5;
        }
    }

    /**
     * Rebuilds the search index with progress and a summary: this node's Lucene index, or the
     * cluster's one OpenSearch index (filled anew beside the current one, then the alias moved to it).
     */
    private static int rebuildSearch(String what, java.util.function.ToLongFunction<java.util.function.LongConsumer> rebuild,
                                     java.util.function.Supplier<String> where) {
        System.out.println("Rebuilding " + what + " from the log...");
        long started = System.nanoTime();
        try {
            long documents = rebuild.applyAsLong(read -> {
                System.out.printf("\r  %,d events indexed", read);
                System.out.flush();
            });
            System.out.println();
            System.out.printf("Search index rebuilt: %,d documents in %,d ms, %s%n", documents,
                    (System.nanoTime() - started) / 1_000_000, where.get());
            return 0;
        } catch (RuntimeException e) {
            System.out.println("Search index not rebuilt: " + e.getMessage());
            return 4;
        }
    }

    public static int run(Class<?> application, String[] args) {
        boolean checkOnly = java.util.Arrays.asList(args).contains("--check");
        args = java.util.Arrays.stream(args).filter(a -> !a.equals("--check")).toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
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
            if (!checkOnly) {
                replayer.swapIn(schema);
            }
            System.out.printf("Replayed %,d events from %d partitions in %,d ms (%,.0f events/s; applying alone %,d ms,"
                            + " %,.0f events/s).%n", summary.records(), summary.endOffsets().size(), summary.millis(),
                    summary.records() * 1000.0 / Math.max(1, summary.millis()), summary.applyMillis(),
                    summary.records() * 1000.0 / Math.max(1, summary.applyMillis()));
            for (String table : after.keySet()) {
                String rows = after.get(table).split(":")[0];
                System.out.printf("  %-18s %8s rows  %s%n", table, rows,
                        after.get(table).equals(before.get(table)) ? "unchanged" : "rebuilt with differences");
            }
            boolean same = after.equals(before);
            if (checkOnly) {
                System.out.println(same ? "Check: the live views equal the views rebuilt from the log."
                        : "Check: the live views differ from the log; the rebuilt views are in schema " + schema
                          + " (run without --check to replace the live ones).");
                return same ? 0 : 3;
            }
            var lucene = context.getBeanProvider(org.c18n.search.SearchIndexer.class).getIfAvailable();
            var openSearch = lucene != null ? null : context.getBean(org.c18n.search.OpenSearchIndexer.class);
            int search = lucene != null
                    ? rebuildSearch("this node's search index", lucene::rebuildInPlace, () -> "at " + lucene.path())
                    : rebuildSearch("the OpenSearch index (into a new index, then the alias moves)", openSearch::rebuild,
                            openSearch::describe);
            return search != 0 ? search : resetSpeedLayer(context.getBean(SpeedLayer.class));
        } catch (RuntimeException e) {
            System.err.println("Replay failed: " + e.getMessage());
            e.printStackTrace();
            return 1;
        }
    }
}
