package org.c18n;

import java.util.Arrays;
import java.util.List;
import org.c18n.analytics.AnalyticsTopology;
import org.c18n.moderation.ModerationTopology;
import org.c18n.notification.NotificationTopology;
import org.c18n.speedlayer.TopologyPart;
import org.springframework.context.annotation.Bean;
import org.c18n.cli.AdminCommand;
import org.c18n.cli.Cli;
import org.c18n.cli.MediaCommand;
import org.c18n.cli.ReplayCommand;
import org.c18n.cli.StandaloneCommand;
import org.c18n.workload.EmulateCommand;
import org.c18n.workload.SeedCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * {@code java -jar c18n.jar [serve] [--options]} starts the platform; {@code replay} rebuilds
 * every view from the log and exits; {@code seed} fills a running platform with fake data and
 * {@code emulate} drives it like its users would; {@code kafka} and {@code postgres} start one
 * engine alone, for several app nodes on one machine; {@code admin reset-password} sets a password;
 * {@code media migrate} copies the local media store into an S3 bucket.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class C18nApplication {
    /** The speed layer's parts in the one order every node adds them (Kafka Streams numbers its sub-topologies by it). */
    public static final List<TopologyPart> SPEED_LAYER = List.of(AnalyticsTopology::add, NotificationTopology::add,
            ModerationTopology::add);

    @Bean
    List<TopologyPart> speedLayerParts() {
        return SPEED_LAYER;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(ReplayCommand.run(C18nApplication.class, Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("admin")) {
            Cli.prepare();
            System.exit(AdminCommand.run(C18nApplication.class, Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && java.util.Set.of("seed", "emulate", "kafka", "postgres", "media").contains(args[0])) {
            Cli.prepare();
        }
        if (args.length > 0 && args[0].equals("seed")) {
            System.exit(SeedCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("emulate")) {
            System.exit(EmulateCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && (args[0].equals("kafka") || args[0].equals("postgres"))) {
            System.exit(StandaloneCommand.run(args[0], Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("media")) {
            System.exit(MediaCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("serve")) {
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        // --demo: fill a first start with demo data (see DemoData).
        args = Arrays.stream(args).map(a -> a.equals("--demo") ? "--c18n.demo=true" : a).toArray(String[]::new);
        SpringApplication.run(C18nApplication.class, args);
    }
}
