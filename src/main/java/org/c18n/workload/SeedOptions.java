package org.c18n.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code c18n seed} generates, from flags or a YAML file of the same names. {@code items} is
 * the number of things people do after signing up, split by the weights among the kinds.
 */
public record SeedOptions(URI url, int users, int communities, int groups, long items, Map<String, Integer> weights,
                          long seed, int concurrency, String password, boolean fast, String bootstrap, String kafkaProperties, long posts) {
    public static final String DEFAULT_PASSWORD = "seeded-password";
    static final Map<String, Integer> DEFAULT_WEIGHTS =
            Flags.weightsOf("posts=30,images=8,videos=2,comments=25,reactions=20,shares=3,messages=12");

    public static SeedOptions parse(String[] args) {
        Flags flags = Flags.parse(args, Set.of("url", "users", "communities", "groups", "items", "weights", "seed",
                "concurrency", "password", "bootstrap", "kafka-properties", "posts"), Set.of("fast"));
        int users = flags.integer("users", 100);
        String password = flags.text("password", DEFAULT_PASSWORD);
        if (password.length() < 8) {
            throw new Flags.Invalid("--password must be at least 8 characters");
        }
        int concurrency = flags.integer("concurrency", 16);
        if (concurrency == 0) {
            throw new Flags.Invalid("--concurrency must be at least 1");
        }
        return new SeedOptions(URI.create(flags.text("url", defaultUrl())), users,
                flags.integer("communities", Math.max(3, users / 20)), flags.integer("groups", Math.max(2, users / 25)),
                flags.number("items", users * 5L), flags.weights("weights", DEFAULT_WEIGHTS),
                flags.number("seed", System.nanoTime() % 1_000_000), concurrency, password, flags.on("fast"),
                flags.text("bootstrap", System.getenv("C18N_KAFKA_BOOTSTRAP_SERVERS")),
                flags.text("kafka-properties", System.getenv("C18N_KAFKA_PROPERTIES_FILE")), flags.number("posts", 1_000_000L));
    }

    static String defaultUrl() {
        return "http://localhost:" + System.getenv().getOrDefault("C18N_PORT", "8080") + "/";
    }

    /** How many of each kind: the items split by weight (rounded, so they add up to about {@code items}). */
    public Map<String, Long> counts() {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Long> counts = new LinkedHashMap<>();
        weights.forEach((kind, weight) -> counts.put(kind, total == 0 ? 0 : Math.round((double) items * weight / total)));
        return counts;
    }

    /** The short video that video posts carry: a real WebM shipped with the project. */
    static byte[] clip() {
        return seedFile("clip.webm");
    }

    /** The clip's frame at one second, as a browser uploading the clip would capture it for its poster. */
    static byte[] clipPoster() {
        return seedFile("clip-poster.jpg");
    }

    private static byte[] seedFile(String name) {
        try (InputStream in = SeedOptions.class.getResourceAsStream("/seed/" + name)) {
            if (in == null) {
                throw new IllegalStateException("seed/" + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
