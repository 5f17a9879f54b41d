package org.c18n.web;

import org.c18n.infra.C18nProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/** Where people reach the platform, for links that leave it (in mails): the public URL, else this node's port on localhost. */
@Component
public class SiteUrl {
    private final C18nProperties props;
    private final ApplicationContext context;

    public SiteUrl(C18nProperties props, ApplicationContext context) {
        this.props = props;
        this.context = context;
    }

    /** The site's base, ending in "/". */
    public String base() {
        String configured = props.publicUrl();
        if (configured != null && !configured.isBlank()) {
            String url = configured.strip();
            return url.endsWith("/") ? url : url + "/";
        }
        int port = context instanceof WebServerApplicationContext web && web.getWebServer() != null
                ? web.getWebServer().getPort() : 8080;
        return "http://localhost:" + port + "/";
    }
}
