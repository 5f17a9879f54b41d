package org.c18n.identity;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.c18n.infra.C18nProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Refuses passwords that are easy to guess, by zxcvbn's estimate of the guesses an attacker needs
 * (common passwords, keyboard walks, repeats, dates, the account's own name or email). Score 2
 * ("somewhat guessable", at least a million guesses) is the floor: enough against online guessing,
 * which the sign-in limits slow to a few attempts a minute.
 */
@Component
public class PasswordPolicy {
    static final int MIN_SCORE = 2;
    /** zxcvbn's cost grows with length; a weak start is not saved by its tail, so only this much is judged. */
    private static final int JUDGED_LENGTH = 64;

    private final Zxcvbn zxcvbn = new Zxcvbn();
    private final C18nProperties props;

    public PasswordPolicy(C18nProperties props) {
        this.props = props;
    }

    /**
     * Loads the dictionaries (about a second) in the background once started, so that neither the
     * start nor the first sign-up waits for them. A replay signs no one up.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (props.replayMode()) {
            return;
        }
        Thread warmUp = new Thread(() -> zxcvbn.measure("warm-up"), "zxcvbn-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** What makes {@code password} easy to guess (the detail of a {@code weak-password}), or empty when it is strong enough. */
    public Optional<String> weakness(String password, String... accountWords) {
        if (password == null) {
            return Optional.empty();
        }
        String judged = password.length() > JUDGED_LENGTH ? password.substring(0, JUDGED_LENGTH) : password;
        List<String> words = new ArrayList<>();
        for (String word : accountWords) {
            if (word != null && !word.isBlank()) {
                words.add(word.toLowerCase(Locale.ROOT));
                words.addAll(List.of(word.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
            }
        }
        Strength strength = zxcvbn.measure(judged, words);
        if (strength.getScore() >= MIN_SCORE) {
            return Optional.empty();
        }
        Feedback feedback = strength.getFeedback();
        StringBuilder detail = new StringBuilder("password: too easy to guess.");
        String warning = feedback.getWarning(Locale.ENGLISH);
        if (warning != null && !warning.isBlank()) {
            detail.append(' ').append(warning);
        }
        for (String suggestion : feedback.getSuggestions(Locale.ENGLISH)) {
            detail.append(' ').append(suggestion);
        }
        if (feedback.getSuggestions(Locale.ENGLISH).isEmpty()) {
            detail.append(" Add another word or two; uncommon words are better.");
        }
        return Optional.of(detail.toString());
    }
}
