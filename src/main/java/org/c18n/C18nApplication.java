package org.c18n;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class C18nApplication {
    public static void main(String[] args) {
        SpringApplication.run(C18nApplication.class, args);
    }
}
