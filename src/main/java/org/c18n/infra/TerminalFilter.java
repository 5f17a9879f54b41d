package org.c18n.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What the terminal shows of the log (logback-spring.xml): errors, and the platform's own warnings,
 * which are meant for whoever runs it; the libraries' warnings and everything else go only to the
 * log file under the data dir. {@code c18n.log.console=all} (in a container, whose output is the
 * log) shows everything.
 */
public class TerminalFilter extends Filter<ILoggingEvent> {
    private boolean everything;

    public void setShow(String show) {
        everything = "all".equalsIgnoreCase(show.trim());
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        Level level = event.getLevel();
        boolean shown = everything || level.isGreaterOrEqual(Level.ERROR)
                || level.isGreaterOrEqual(Level.WARN) && event.getLoggerName().startsWith("org.c18n.");
        return shown ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
