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
 * With a {@code ramp} people arrive in steps (up to {@code users}), each acting once per
 * {@code pace} on average, until a step breaks the limits ({@code stopP99}, {@code maxErrorRate});
 * steps that begin within {@code warmUp} of the start are shown but not held against them.
 * With {@code admin} ("name:password") the people are the accounts already there (members of the
 * communities, as {@code seed --fast} makes them), each given a session the admin mints.
 */
public record EmulateOptions(List<URI> urls, int users, Duration duration, double rate, Map<String, Integer> mix,
                             double maxErrorRate, Path report, String password, long seed, int concurrency,
                             Ramp ramp, Duration pace, Duration stopP99, String admin, Duration warmUp) {
    static final Map<String, Integer> DEFAULT_MIX = Flags.weightsOf(
            "browse=25,read=20,comment=10,react=15,share=2,post=6,media=2,join=3,invite=2,chat=12,search=3");

    /** {@code users} more people every {@code every}. */
    public record Ramp(int users, Duration every) {}

    static EmulateOptions parse(String[] args) {
        Flags flags = Flags.parse(args, Set.of("url", "users", "duration", "rate", "mix", "max-error-rate", "report",
                "password", "seed", "concurrency", "ramp", "pace", "stop-p99", "admin", "warm-up"), Set.of());
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
        Ramp ramp = ramp(flags.text("ramp", null));
        Duration pace = flags.duration("pace", Duration.ofSeconds(10));
        if (pace.isZero() || pace.isNegative()) {
            throw new Flags.Invalid("--pace must be above 0");
        }
        String admin = flags.text("admin", null);
        if (admin != null && !admin.contains(":")) {
            throw new Flags.Invalid("--admin must be name:password");
        }
        return new EmulateOptions(urls, users, flags.duration("duration", ramp == null ? Duration.ofSeconds(60)
                : Duration.ofMinutes(10)), flags.decimal("rate", users / 2.0), mix, flags.decimal("max-error-rate", 0.01),
                Path.of(flags.text("report", "emulate-report.json")), password,
                flags.number("seed", System.nanoTime() % 1_000_000), Math.max(1, flags.integer("concurrency", 64)),
                ramp, pace, flags.duration("stop-p99", Duration.ofMillis(500)), admin,
                flags.duration("warm-up", Duration.ofSeconds(60)));
    }

    /** "200/20s": 200 more people every 20 seconds. */
    private static Ramp ramp(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.strip().split("/");
        try {
            int step = Integer.parseInt(parts[0].strip());
            Duration every = org.springframework.boot.convert.DurationStyle.detectAndParse(parts[1].strip(),
                    java.time.temporal.ChronoUnit.SECONDS);
            if (parts.length != 2 || step < 1 || every.toMillis() < 1000) {
                throw new IllegalArgumentException("out of range");
            }
            return new Ramp(step, every);
        } catch (RuntimeException e) {
            throw new Flags.Invalid("--ramp: '" + text + "' is not people/interval with at least 1 person and 1 s (200/20s)");
        }
    }
}
