package org.c18n.workload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;

/**
 * Command-line settings of the workload tools: {@code --name value}, {@code --name=value} and
 * bare switches, over the same settings from a YAML file named by {@code --config} (flags win).
 */
final class Flags {
    private final Map<String, String> settings;

    /** Bad options: the message says which and why. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    private Flags(Map<String, String> settings) {
        this.settings = settings;
    }

    static Flags parse(String[] args, Set<String> names, Set<String> switches) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new Invalid("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            if (name.contains("=")) {
                given.put(name.substring(0, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
            } else if (switches.contains(name)) {
                given.put(name, "true");
            } else if (i + 1 < args.length) {
                given.put(name, args[++i]);
            } else {
                throw new Invalid("--" + name + " needs a value");
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (given.containsKey("config")) {
            settings.putAll(yaml(Path.of(given.remove("config"))));
        }
        settings.putAll(given);
        for (String name : settings.keySet()) {
            if (!names.contains(name) && !switches.contains(name)) {
                throw new Invalid("unknown option --" + name);
            }
        }
        return new Flags(settings);
    }

    String text(String name, String fallback) {
        return settings.getOrDefault(name, fallback);
    }

    boolean on(String name) {
        return Boolean.parseBoolean(settings.getOrDefault(name, "false"));
    }

    int integer(String name, int fallback) {
        return (int) Math.min(Integer.MAX_VALUE, number(name, fallback));
    }

    /** A whole number ≥ 0 ({@code 1_000_000} allowed). */
    long number(String name, long fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.strip().replace("_", ""));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Invalid("--" + name + ": '" + value + "' is not a whole number ≥ 0");
        }
    }

    double decimal(String name, double fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (d < 0 || Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Invalid("--" + name + ": '" + value + "' is not a number ≥ 0");
        }
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, ISO-8601 ({@code PT90S}), or plain seconds. */
    Duration duration(String name, Duration fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return DurationStyle.detectAndParse(value.strip(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new Invalid("--" + name + ": '" + value + "' is not a duration (90s, 5m, 1h)");
        }
    }

    /** {@code kind=weight,...}, every kind one of {@code defaults}; kinds not named weigh 0. */
    Map<String, Integer> weights(String name, Map<String, Integer> defaults) {
        String text = settings.get(name);
        if (text == null) {
            return defaults;
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        defaults.keySet().forEach(kind -> weights.put(kind, 0));
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=");
            if (kv.length != 2) {
                throw new Invalid("--" + name + ": expected kind=number, got '" + part.strip() + "'");
            }
            String kind = kv[0].strip();
            if (!defaults.containsKey(kind)) {
                throw new Invalid("--" + name + ": unknown kind '" + kind + "' (kinds: " + String.join(", ", defaults.keySet()) + ")");
            }
            try {
                int weight = Integer.parseInt(kv[1].strip());
                if (weight < 0) {
                    throw new NumberFormatException();
                }
                weights.put(kind, weight);
            } catch (NumberFormatException e) {
                throw new Invalid("--" + name + ": '" + kv[1].strip() + "' is not a whole number ≥ 0");
            }
        }
        return weights;
    }

    /** Weights written as the flag would be: {@code a=1,b=2}. */
    static Map<String, Integer> weightsOf(String text) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.split("=");
            weights.put(kv[0], Integer.parseInt(kv[1]));
        }
        return weights;
    }

    /** A YAML file of the same settings: {@code users: 1000}, {@code weights: {posts: 50, images: 10}}. */
    private static Map<String, String> yaml(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            Object loaded = new Yaml().load(in);
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new Invalid(file + ": expected a mapping of settings");
            }
            map.forEach((key, value) -> {
                if (value instanceof Map<?, ?> nested) {
                    StringBuilder joined = new StringBuilder();
                    nested.forEach((k, v) -> joined.append(joined.isEmpty() ? "" : ",").append(k).append('=').append(v));
                    settings.put(String.valueOf(key), joined.toString());
                } else {
                    settings.put(String.valueOf(key), String.valueOf(value));
                }
            });
        } catch (IOException e) {
            throw new Invalid("cannot read " + file + ": " + e.getMessage());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new Invalid(file + " is not valid YAML: " + e.getMessage());
        }
        return settings;
    }
}
