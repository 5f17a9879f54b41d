package org.c18n.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One PostgreSQL connection per node that LISTENs to the platform's channels and hands each
 * notification to its subscriber: how nodes tell each other what does not belong in the log
 * (projection progress, typing, presence). Reconnects by itself; {@code onConnect} hooks catch up.
 */
@Component
public class PgListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PgListener.class);

    private final DatabaseConnection database;
    private final Map<String, Consumer<String>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Runnable> onConnect = new ConcurrentHashMap<>();
    private volatile boolean running;

    public PgListener(DatabaseConnection database) {
        this.database = database;
    }

    /** Subscribes before start; {@code connected} runs after every (re)connection, to catch up. */
    public void subscribe(String channel, Consumer<String> subscriber, Runnable connected) {
        subscribers.put(channel, subscriber);
        onConnect.put(channel, connected);
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::listen, "c18n-pg-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(database.url(), database.username(), database.password())) {
                try (Statement statement = connection.createStatement()) {
                    for (String channel : subscribers.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                onConnect.values().forEach(Runnable::run);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        Consumer<String> subscriber = subscribers.get(notification.getName());
                        if (subscriber != null) {
                            try {
                                subscriber.accept(notification.getParameter());
                            } catch (RuntimeException e) {
                                log.warn("Handling a {} notification failed", notification.getName(), e);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("Database listener lost its connection ({}); reconnecting", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Listening before the projector and the web server start, until after they stopped.
        return Integer.MIN_VALUE / 2;
    }
}
