package org.c18n.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** What the terminal commands (seed, emulate, kafka, postgres) need before they start: no display, and the libraries' logs kept to warnings. */
public final class Cli {
    private Cli() {}

    public static void prepare() {
        System.setProperty("java.awt.headless", "true");
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.WARN);
        }
    }
}
