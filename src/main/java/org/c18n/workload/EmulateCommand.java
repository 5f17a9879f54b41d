package org.c18n.workload;

import org.c18n.client.Api;

/** {@code c18n emulate [--options]}: drives a running platform like real users; see {@link EmulateOptions}. */
public final class EmulateCommand {
    static final String USAGE = """
            usage: c18n emulate [--url http://localhost:8080/[,http://other-node:8080/...]] [--users 50] [--duration 60s]
                                [--rate users/2 actions per second] [--max-error-rate 0.01] [--report emulate-report.json]
                                [--mix browse=25,read=20,comment=10,react=15,share=2,post=6,media=2,join=3,invite=2,chat=12,search=3]
                                [--seed N] [--concurrency 64] [--config emulate.yaml]
                                [--ramp 200/20s --pace 10s --stop-p99 500ms --warm-up 60s --admin admin:password]""";

    private EmulateCommand() {}

    public static int run(String[] args) {
        EmulateOptions options;
        try {
            options = EmulateOptions.parse(args);
        } catch (Flags.Invalid e) {
            System.err.println("emulate: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        for (var url : options.urls()) {
            var probe = new Api(Api.newHttp(), url.toString()).get("/api/v1/auth/providers");
            if (!probe.ok()) {
                System.err.println("emulate: no c18n answering at " + url + " (" + probe.problem() + ")");
                return 3;
            }
        }
        return new Emulator(options, System.out).run();
    }
}
