package org.c18n.workload;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code c18n emulate} does: how many people, for how long, how many actions a second in
 * all, and the mix of actions. {@code urls} may name several nodes: people are spread over them.
 */
public record EmulateOptions(List<URI> urls, int users, Duration duration, double rate, Map<String, Integer> mix,
                             double maxErrorRate, Path report, String password, long seed, int concurrency) {
    static final Map<String, Integer> DEFAULT_MIX = Flags.weightsOf(
            "browse=25,read=20,comment=10,react=15,share=2,post=6,media=2,join=3,invite=2,chat=12,search=3");

    static EmulateOptions parse(String[] args) {
        Flags flags = Flags.parse(args, Set.of("url", "users", "duration", "rate", "mix", "max-error-rate", "report",
                "password", "seed", "concurrency"), Set.of());
        int users = flags.integer("users", 50);
        if (users < 2) {
            throw new Flags.Invalid("--users must be at least 2 (people chat and invite each other)");
        }
        List<URI> urls = Arrays.stream(flags.text("url", SeedOptions.defaultUrl()).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(s -> URI.create(s.endsWith("/") ? s : s + "/")).toList();
        Map<String, Integer> mix = flags.weights("mix", DEFAULT_MIX);
        if (mix.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new Flags.Invalid("--mix must give some action a weight above 0");
        }
        String password = flags.text("password", "emulated-password");
        if (password.length() < 8) {
            throw new Flags.Invalid("--password must be at least 8 characters");
        }
        return new EmulateOptions(urls, users, flags.duration("duration", Duration.ofSeconds(60)),
                flags.decimal("rate", users / 2.0), mix, flags.decimal("max-error-rate", 0.01),
                Path.of(flags.text("report", "emulate-report.json")), password,
                flags.number("seed", System.nanoTime() % 1_000_000), Math.max(1, flags.integer("concurrency", 64)));
    }
}
