package org.c18n;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import org.c18n.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The module boundaries, kept by the build: the packages form no cycle, the core (log, readers,
 * projection and speed-layer hosting, infrastructure, socket hub, HTTP) knows no feature, and a
 * feature uses another only through what that one publishes (its events and a few declared
 * reads). Only the root package and {@code cli}, which assemble the platform, see everything.
 * HTTP problems are the web layer's: reads answer what they found (or empty), commands refuse
 * with the core's {@code Refused}, and only controllers and the web package speak in problems.
 */
class BoundaryTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.c18n");

    static final String[] CORE = {"org.c18n.infra..", "org.c18n.eventlog..", "org.c18n.reader..", "org.c18n.projection..",
            "org.c18n.speedlayer..", "org.c18n.hub..", "org.c18n.web.."};

    /** What each feature offers the others (top-level class names; their nested records come with them). */
    static final Map<String, Set<String>> PUBLISHED = Map.ofEntries(
            Map.entry("identity", Set.of("UserEvents", "Users", "UserView", "Sessions")),
            Map.entry("community", Set.of("CommunityEvents", "Communities", "Usergroups", "CommunityJson")),
            Map.entry("post", Set.of("PostEvents", "Posts", "PostJson")),
            Map.entry("chat", Set.of("ChatEvents", "Rooms", "Messages")),
            Map.entry("media", Set.of("Media", "MediaJson", "MediaStore", "MediaEvents")),
            Map.entry("search", Set.of()),
            Map.entry("notification", Set.of("NotificationEvents")),
            Map.entry("suggestion", Set.of()),
            Map.entry("moderation", Set.of("ModerationEvents")),
            Map.entry("analytics", Set.of()),
            Map.entry("leaving", Set.of()),
            Map.entry("reaction", Set.of("EmojiReactions")));

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.c18n.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theCoreKnowsNoFeature() {
        String[] features = PUBLISHED.keySet().stream().map(f -> "org.c18n." + f + "..").toArray(String[]::new);
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAnyPackage(features)
                .check(MAIN);
    }

    @Test
    void featuresMeetOnlyThroughWhatTheyPublish() {
        PUBLISHED.forEach((feature, published) -> {
            String home = "org.c18n." + feature;
            classes().that().resideInAPackage(home).and(unpublishedIn(published))
                    .should().onlyHaveDependentClassesThat().resideInAnyPackage(home, "org.c18n", "org.c18n.cli")
                    .allowEmptyShould(true)
                    .check(MAIN);
        });
    }

    @Test
    void onlyTheWebLayerAnswersWithProblems() {
        noClasses().that().resideOutsideOfPackage("org.c18n.web..").and().areNotAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().belongToAnyOf(ApiException.class)
                .check(MAIN);
    }

    /** The client (seeder, emulator, tests) speaks HTTP and JSON only: it knows nothing of the platform's insides. */
    @Test
    void theClientKnowsOnlyTheWire() {
        noClasses().that().resideInAPackage("org.c18n.client..").should().dependOnClassesThat(
                JavaClass.Predicates.resideInAPackage("org.c18n..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("org.c18n.client..")))
                .check(MAIN);
    }

    private static DescribedPredicate<JavaClass> unpublishedIn(Set<String> published) {
        return DescribedPredicate.describe("not published " + published, c -> {
            String topLevel = c.getName().substring(c.getPackageName().length() + 1).split("\\$")[0];
            return !published.contains(topLevel);
        });
    }
}
