package org.c18n.workload;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code ./c18n --demo}: on a first start (nobody but the admin yet), once the platform is ready,
 * fills it with a small realistic community life through its own API, in the background, so that
 * there is something to look at right away.
 */
@Component
class DemoData {
    private final boolean demo;
    private final JdbcClient db;

    DemoData(@Value("${c18n.demo:false}") boolean demo, JdbcClient db) {
        this.demo = demo;
        this.db = db;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!demo || !(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        long people = db.sql("SELECT count(*) FROM users").query(Long.class).single();
        if (people > 1) {
            System.out.println("  --demo: the platform already has people; nothing generated");
            return;
        }
        URI url = URI.create("http://localhost:" + web.getWebServer().getPort() + "/");
        Thread filler = new Thread(() -> {
            System.out.println("  --demo: filling the platform with demo people and content (password "
                    + SeedOptions.DEFAULT_PASSWORD + ")...");
            new Seed(SeedOptions.parse(new String[] {"--url", url.toString(), "--users", "60", "--items", "400",
                    "--concurrency", "4"}), System.out).run();
        }, "c18n-demo-data");
        filler.setDaemon(true);
        filler.start();
    }
}
