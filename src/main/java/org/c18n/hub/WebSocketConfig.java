package org.c18n.hub;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The /ws endpoint. Frames over 8 KB close the socket with 1009 (message too big): a message
 * body is at most 4,000 characters, and every connection holds buffers of this size, so small
 * buffers are what lets a node hold many connections.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {
    static final int MAX_FRAME = 8 * 1024;

    private final HubSocket socket;
    private final Tickets tickets;

    WebSocketConfig(HubSocket socket, Tickets tickets) {
        this.socket = socket;
        this.tickets = tickets;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Tickets, not cookies, authenticate a socket, so the page's origin does not matter.
        registry.addHandler(socket, "/ws").addInterceptors(new TicketHandshake(tickets)).setAllowedOriginPatterns("*");
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_FRAME);
        // The protocol has no binary frames.
        container.setMaxBinaryMessageBufferSize(128);
        container.setMaxSessionIdleTimeout(300_000L);
        return container;
    }
}
