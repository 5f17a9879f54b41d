package org.c18n.workload;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import net.datafaker.Faker;

/**
 * Realistic fake people and what they write, from Datafaker with a seed (the same seed gives the
 * same people, communities and texts). Interests, community tags and post tags come from one
 * list of topics, so people find communities about what they like and write about it there.
 */
final class FakeContent {
    /** A subject people gather around: its tag, neighbouring tags, and things to talk about. */
    record Topic(String tag, List<String> related, Function<Faker, String> thing, String kind) {}

    static final List<Topic> TOPICS = List.of(
            new Topic("cooking", List.of("recipes", "food"), f -> f.food().dish(), "dish"),
            new Topic("baking", List.of("recipes", "food"), f -> f.dessert().variety(), "bake"),
            new Topic("coffee", List.of("food", "mornings"), f -> f.coffee().blendName(), "blend"),
            new Topic("music", List.of("concerts", "vinyl"), f -> f.music().genre(), "genre"),
            new Topic("guitar", List.of("music", "gear"), f -> f.music().chord() + " chord", "technique"),
            new Topic("books", List.of("reading", "fiction"), f -> f.book().title(), "book"),
            new Topic("hiking", List.of("outdoors", "travel"), f -> f.mountain().name(), "trail"),
            new Topic("travel", List.of("outdoors", "cities"), f -> f.address().city(), "trip"),
            new Topic("programming", List.of("software", "open-source"), f -> f.programmingLanguage().name(), "language"),
            new Topic("gaming", List.of("games", "esports"), f -> f.videoGame().title(), "game"),
            new Topic("movies", List.of("cinema", "film"), f -> f.movie().name(), "film"),
            new Topic("space", List.of("science", "astronomy"), f -> f.space().planet(), "sky"),
            new Topic("hobbies", List.of("crafts", "weekends"), f -> f.hobby().activity(), "hobby"),
            new Topic("pets", List.of("dogs", "cats"), f -> f.dog().breed(), "pet"),
            new Topic("football", List.of("sports", "matches"), f -> f.football().teams(), "team"),
            new Topic("photography", List.of("cameras", "art"), f -> f.color().name() + " light", "shot"),
            new Topic("science", List.of("research", "chemistry"), f -> f.science().element(), "idea"),
            new Topic("beer", List.of("brewing", "food"), f -> f.beer().style(), "brew"),
            new Topic("art", List.of("painting", "museums"), f -> f.artist().name(), "artist"),
            new Topic("cycling", List.of("sports", "outdoors"), f -> f.address().streetName(), "route"));

    private final Faker faker;
    private final Random random;

    FakeContent(long seed) {
        this.random = new Random(seed);
        this.faker = new Faker(Locale.ENGLISH, new Random(seed ^ 0x5DEECE66DL));
    }

    Random random() {
        return random;
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    record Person(String username, String email, String displayName, String bio, List<String> interests) {}

    /** Someone with a name, a bio and two to four interests; {@code suffix} keeps usernames unique. */
    Person person(String suffix) {
        String first = faker.name().firstName();
        String last = faker.name().lastName();
        String username = (first + "." + last).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        username = (username.length() > 24 ? username.substring(0, 24) : username) + suffix;
        List<Topic> liked = topics(between(2, 4));
        String bio = String.format("%s from %s. Into %s. %s", faker.job().title(), faker.address().city(),
                String.join(", ", liked.stream().map(Topic::tag).toList()), faker.famousLastWords().lastWords());
        return new Person(username, username + "@example.org", first + " " + last, clip(bio, 500),
                liked.stream().map(Topic::tag).toList());
    }

    List<Topic> topics(int count) {
        Set<Topic> chosen = new LinkedHashSet<>();
        while (chosen.size() < count) {
            chosen.add(pick(TOPICS));
        }
        return new ArrayList<>(chosen);
    }

    static Topic topic(String tag) {
        return TOPICS.stream().filter(t -> t.tag().equals(tag)).findFirst().orElse(TOPICS.get(0));
    }

    record Community(String name, String description, List<String> tags) {}

    Community community(Topic topic, String suffix) {
        String place = faker.address().city();
        String name = switch (random.nextInt(4)) {
            case 0 -> place + " " + capitalize(topic.tag());
            case 1 -> capitalize(topic.tag()) + " " + pick(List.of("Club", "Circle", "Corner", "Collective", "Lab"));
            case 2 -> capitalize(topic.tag()) + " lovers of " + place;
            default -> "The " + capitalize(topic.kind()) + " " + pick(List.of("Room", "House", "Society", "Exchange"));
        };
        name = clip(name.replaceAll("[^\\p{L}\\p{N} _.-]", ""), 56).strip() + " " + suffix;
        String description = String.format("A place for everyone who loves %s: %s, %s and more. %s", topic.tag(),
                topic.thing().apply(faker), topic.thing().apply(faker), sentence(topic));
        List<String> tags = new ArrayList<>();
        tags.add(topic.tag());
        tags.addAll(topic.related());
        return new Community(name, clip(description, 2000), tags);
    }

    record Post(String title, String body, List<String> tags) {}

    Post post(Topic topic) {
        String thing = topic.thing().apply(faker);
        String title = switch (random.nextInt(5)) {
            case 0 -> "What do you think of " + thing + "?";
            case 1 -> "My week with " + thing;
            case 2 -> "Beginner question about " + topic.tag();
            case 3 -> thing + ": " + pick(List.of("a review", "first impressions", "tips welcome", "worth it?"));
            default -> "Best " + topic.kind() + " this " + pick(List.of("month", "season", "year")) + "?";
        };
        StringBuilder body = new StringBuilder();
        int paragraphs = between(1, 3);
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                body.append("\n\n");
            }
            for (int s = between(2, 4); s > 0; s--) {
                body.append(sentence(topic)).append(' ');
            }
        }
        List<String> tags = new ArrayList<>(List.of(topic.tag()));
        if (chance(0.5)) {
            tags.add(pick(topic.related()));
        }
        return new Post(clip(title, 300), body.toString().strip(), tags);
    }

    String comment(Topic topic) {
        return switch (random.nextInt(5)) {
            case 0 -> "Agreed. " + sentence(topic);
            case 1 -> "Not sure about that. " + sentence(topic);
            case 2 -> "Thanks for sharing! " + faker.yoda().quote();
            case 3 -> sentence(topic) + " " + sentence(topic);
            default -> "Have you tried " + topic.thing().apply(faker) + "?";
        };
    }

    String message(Topic topic) {
        return switch (random.nextInt(6)) {
            case 0 -> "Hey! Are you going to the " + topic.tag() + " meetup?";
            case 1 -> "Did you see the post about " + topic.thing().apply(faker) + "?";
            case 2 -> faker.hitchhikersGuideToTheGalaxy().quote();
            case 3 -> "lol " + faker.chuckNorris().fact();
            case 4 -> "Sounds good, see you " + pick(List.of("tomorrow", "on Friday", "later", "next week")) + ".";
            default -> "What's your favourite " + topic.kind() + " right now?";
        };
    }

    String groupName(Topic topic) {
        return clip(capitalize(topic.tag()) + " " + pick(List.of("crew", "friends", "planning", "chat", "night")) + " "
                + faker.address().cityName(), 60);
    }

    private String sentence(Topic topic) {
        String thing = topic.thing().apply(faker);
        return switch (random.nextInt(8)) {
            case 0 -> "I have been thinking about " + thing + " a lot lately.";
            case 1 -> "Honestly, " + thing + " changed how I see " + topic.tag() + ".";
            case 2 -> "A friend from " + faker.address().city() + " recommended " + thing + ".";
            case 3 -> "If you are new to " + topic.tag() + ", start with " + thing + ".";
            case 4 -> "Last " + pick(List.of("weekend", "month", "summer", "night")) + " I finally tried " + thing + ", and it was " + pick(List.of(
                    "great", "surprising", "harder than expected", "a bit overrated", "worth every minute")) + ".";
            case 5 -> faker.yoda().quote();
            case 6 -> "Does anyone else prefer " + thing + " over " + topic.thing().apply(faker) + "?";
            default -> faker.hitchhikersGuideToTheGalaxy().quote();
        };
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
