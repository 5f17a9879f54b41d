package org.c18n;

import java.util.Arrays;
import org.c18n.eventlog.ReplayCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * {@code java -jar c18n.jar [serve] [--options]} starts the platform; {@code replay} rebuilds
 * every view from the log and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class C18nApplication {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("serve")) {
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        SpringApplication.run(C18nApplication.class, args);
    }
}
