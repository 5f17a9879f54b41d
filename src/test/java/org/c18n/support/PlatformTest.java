package org.c18n.support;

import java.nio.file.Path;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tests against the whole platform as it runs by default: the embedded Kafka broker and
 * PostgreSQL under a fresh data dir, the web server on a random port. One instance is shared by
 * every test class that extends this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PlatformTest {
    static final Path DATA_DIR = Path.of("target", "test-data", "platform-" + UUID.randomUUID());

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("c18n.data-dir", DATA_DIR::toString);
        registry.add("c18n.admin.username", () -> "admin");
        registry.add("c18n.admin.password", () -> "admin-password");
    }

    protected String base() {
        return "http://localhost:" + port;
    }

    protected Api signedUp(String prefix) {
        return Api.signedUp(base(), unique(prefix));
    }

    protected Api admin() {
        return new Api(base()).login("admin", "admin-password");
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }
}
