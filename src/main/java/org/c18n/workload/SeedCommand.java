package org.c18n.workload;

import org.c18n.client.Api;

/** {@code c18n seed [--options]}: fills a running platform with fake data; see {@link SeedOptions}. */
public final class SeedCommand {
    static final String USAGE = """
            usage: c18n seed [--url http://localhost:8080/] [--users 100] [--communities N] [--groups N] [--items N]
                             [--weights posts=30,images=8,videos=2,comments=25,reactions=20,shares=3,messages=12]
                             [--seed N] [--concurrency 16] [--password P] [--config seed.yaml]
                   c18n seed --fast [--url http://localhost:8080/] [--bootstrap host:port [--kafka-properties FILE]] [--posts 1000000]
                                    [--users N] [--seed N]""";

    private SeedCommand() {}

    public static int run(String[] args) {
        SeedOptions options;
        try {
            options = SeedOptions.parse(args);
        } catch (Flags.Invalid e) {
            System.err.println("seed: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (options.fast()) {
            return FastSeed.run(options, System.out);
        }
        var probe = new Api(Api.newHttp(), options.url().toString()).get("/api/v1/auth/providers");
        if (!probe.ok()) {
            System.err.println("seed: no c18n answering at " + options.url() + " (" + probe.problem()
                    + "); start it with ./c18n, or name it with --url");
            return 3;
        }
        return new Seed(options, System.out).run() == 0 ? 0 : 1;
    }
}
