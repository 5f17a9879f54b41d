package org.c18n.chat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.c18n.infra.C18nProperties;
import org.c18n.community.CommunityEvents;
import org.c18n.notification.NotificationEvents;
import org.c18n.reader.DeadLetters;
import org.c18n.eventlog.Event;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.ReaderHealth;
import org.c18n.eventlog.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Delivers from the log, never from a shortcut: every node reads c18n.messages (and membership
 * changes on c18n.communities, and c18n.notifications) from the end with its own consumer, and hands each event to its
 * local connections. A message is in the log before any client sees it, in the room's order.
 */
@Component
public class GatewayFeed implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GatewayFeed.class);
    private static final String READER = "gateway";

    private final KafkaConnection kafka;
    private final Gateway gateway;
    private final ObjectMapper json;
    private final JdbcClient db;
    private final Messages messages;
    private final DeadLetters deadLetters;
    private final ReaderHealth health;
    private final boolean replayMode;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private volatile Thread thread;

    public GatewayFeed(KafkaConnection kafka, Gateway gateway, ObjectMapper json, JdbcClient db, Messages messages,
                       DeadLetters deadLetters, ReaderHealth health, C18nProperties props) {
        this.deadLetters = deadLetters;
        this.health = health;
        this.messages = messages;
        this.kafka = kafka;
        this.gateway = gateway;
        this.json = json;
        this.db = db;
        this.replayMode = props.replayMode();
    }

    @Override
    public void start() {
        consumer = kafka.consumer("c18n-gateway", java.util.Map.of());
        List<TopicPartition> partitions = KafkaConnection.partitionsOf(consumer,
                List.of(Topics.MESSAGES, Topics.COMMUNITIES, Topics.NOTIFICATIONS));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        int messagePartitions = (int) partitions.stream().filter(p -> p.topic().equals(Topics.MESSAGES)).count();
        for (TopicPartition p : partitions) {
            if (p.topic().equals(Topics.MESSAGES)) {
                gateway.fed(p.partition(), consumer.position(p), messagePartitions);
            }
        }
        running = true;
        thread = new Thread(() -> run(messagePartitions), "c18n-gateway-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(int messagePartitions) {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        handle(record);
                    } catch (RuntimeException e) {
                        deadLetters.record(READER, record, DeadLetters.reason("cannot be delivered", e));
                    }
                    if (record.topic().equals(Topics.MESSAGES)) {
                        gateway.fed(record.partition(), record.offset() + 1, messagePartitions);
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            health.stopped(READER, e);
            log.error("The gateway stopped reading the log: sockets on this node get no more events", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        Event event = Event.parse(json, record.value());
        switch (event.type()) {
            case ChatEvents.MESSAGE_SENT -> {
                var e = event.data(ChatEvents.MessageSent.class);
                List<UUID> mediaIds = e.mediaIds() == null ? List.of() : e.mediaIds();
                var message = new Messages.MessageJson(e.messageId(), e.roomId(), record.offset(),
                        new Messages.Sender(e.senderId(), e.senderUsername()), e.body(), e.replyTo(), mediaIds,
                        messages.media(mediaIds), e.mentions() == null ? List.of() : e.mentions(), "sent", event.at(), null);
                gateway.deliverMessage(e.roomId(), record.offset(), gateway.frames.message(message, e.clientMsgId()));
            }
            case ChatEvents.MESSAGE_EDITED -> {
                var e = event.data(ChatEvents.MessageEdited.class);
                gateway.broadcast(e.roomId(), gateway.frames.frame("message_edited", "room", e.roomId(), "id",
                        e.messageId(), "body", e.body(), "editedAt", event.at()), null);
            }
            case ChatEvents.MESSAGE_DELETED -> {
                var e = event.data(ChatEvents.MessageDeleted.class);
                gateway.broadcast(e.roomId(), gateway.frames.frame("message_deleted", "room", e.roomId(), "id",
                        e.messageId()), null);
            }
            case ChatEvents.MESSAGE_READ -> {
                var e = event.data(ChatEvents.MessageRead.class);
                gateway.broadcast(e.roomId(), gateway.frames.frame("read", "room", e.roomId(), "user", e.userId(),
                        "seq", e.seq(), "at", event.at()), null);
            }
            case ChatEvents.DIRECT_OPENED -> {
                var e = event.data(ChatEvents.DirectOpened.class);
                gateway.addToRoom(e.userA(), e.roomId());
                gateway.addToRoom(e.userB(), e.roomId());
            }
            case CommunityEvents.USERGROUP_CREATED -> {
                var e = event.data(CommunityEvents.UsergroupCreated.class);
                gateway.addToRoom(e.createdBy(), e.usergroupId());
                e.memberIds().forEach(member -> gateway.addToRoom(member, e.usergroupId()));
            }
            case CommunityEvents.USERGROUP_MEMBER_ADDED -> {
                var e = event.data(CommunityEvents.UsergroupMember.class);
                gateway.addToRoom(e.userId(), e.usergroupId());
            }
            case CommunityEvents.USERGROUP_MEMBER_REMOVED -> {
                var e = event.data(CommunityEvents.UsergroupMember.class);
                gateway.removeFromRoom(e.userId(), e.usergroupId());
            }
            case CommunityEvents.MEMBER_LEFT -> {
                var e = event.data(CommunityEvents.MemberLeft.class);
                if (!gateway.connectionsOf(e.userId()).isEmpty()) {
                    db.sql("SELECT id FROM usergroups WHERE community_id = ?").param(e.communityId()).query(UUID.class)
                            .list().forEach(group -> gateway.removeFromRoom(e.userId(), group));
                }
            }
            case NotificationEvents.CREATED -> {
                if (event.at().isBefore(java.time.Instant.now().minus(java.time.Duration.ofMinutes(5)))) {
                    return; // derived again (a speed layer recount after replay): the user was told long ago
                }
                var e = event.data(NotificationEvents.Created.class);
                String frame = gateway.frames.frame("notification", "id", e.notificationId(), "kind", e.kind(), "at", event.at());
                gateway.connectionsOf(e.userId()).forEach(c -> c.send(frame));
            }
            default -> {
                // other events do not change what a socket receives
            }
        }
    }

    @Override
    public boolean isAutoStartup() {
        return !replayMode;
    }

    @Override
    public void stop() {
        running = false;
        KafkaConnection.stopReader(consumer, thread);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
