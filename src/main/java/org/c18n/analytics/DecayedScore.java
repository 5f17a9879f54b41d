package org.c18n.analytics;

/**
 * A count that fades: every event adds one, and the sum halves every {@code halfLife}. Kept as
 * the score at a moment, so that it can be brought to any later moment without another event.
 * Written as {@code <score>@<epochMillis>} between the topology's steps and in the output topic.
 */
record DecayedScore(double score, long at) {
    static final DecayedScore NONE = new DecayedScore(0, 0);

    static DecayedScore parse(String text) {
        if (text == null) {
            return NONE;
        }
        int sign = text.indexOf('@');
        return new DecayedScore(Double.parseDouble(text.substring(0, sign)), Long.parseLong(text.substring(sign + 1)));
    }

    String text() {
        return score + "@" + at;
    }

    /** The score at {@code when}: earlier moments do not raise it (a late event counts at the latest moment known). */
    double at(long when, long halfLifeMillis) {
        return when <= at ? score : score * Math.pow(2, -(double) (when - at) / halfLifeMillis);
    }

    /** One event at {@code when}. */
    static DecayedScore one(long when) {
        return new DecayedScore(1, when);
    }

    /** Both scores together, at the later of their moments. */
    DecayedScore plus(DecayedScore other, long halfLifeMillis) {
        long moment = Math.max(other.at, at);
        return new DecayedScore(at(moment, halfLifeMillis) + other.at(moment, halfLifeMillis), moment);
    }
}
