package org.c18n.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.util.QueryBuilder;
import org.c18n.eventlog.Refused;

/**
 * The query language of the search box: words (all must match, in any of title, name, tags or
 * text; a title or name match counts most), {@code "exact phrases"}, {@code prefix*} (the
 * beginning of a word of a title, name or tag, or of the text of what has no title) and
 * {@code -excluded} words or phrases. Anything else is plain text; only an unclosed quote, a
 * bare operator or an over-long query is an error ({@code invalid-query}).
 *
 * <p>Typos: a word of five letters or more that is in no document is checked against the
 * words the index holds ({@link #corrected}): the nearest one (one edit away, else two for eight
 * letters or more; same first letter; the most frequent first) is then looked up as well,
 * with an exact query. Nothing is widened to every near neighbour at query time.
 */
final class SearchQuery {
    static final int MAX_LENGTH = 200;
    static final int MAX_PARTS = 12;
    static final float TITLE_BOOST = 3f;
    static final float TAG_BOOST = 2f;
    static final float TYPO_WEIGHT = 0.5f;
    static final List<String> TEXT_FIELDS = List.of(SearchDoc.F_TITLE, SearchDoc.F_NAME, SearchDoc.F_TAGS, SearchDoc.F_BODY);

    /** One word, phrase or prefix; {@code correction} the word meant, when it was misspelt. */
    record Part(String text, boolean phrase, boolean prefix, boolean excluded, String correction) {
        Part(String text, boolean phrase, boolean prefix, boolean excluded) {
            this(text, phrase, prefix, excluded, null);
        }

        @Override
        public String toString() {
            String shown = correction == null ? text : correction;
            return (excluded ? "-" : "") + (phrase ? "\"" + shown + "\"" : shown) + (prefix ? "*" : "");
        }
    }

    private final List<Part> parts;

    private SearchQuery(List<Part> parts) {
        this.parts = parts;
    }

    /** Checks and splits what was typed; refuses an unclosed quote, only exclusions, too many words. */
    static SearchQuery parse(String text) {
        List<Part> parts = split(text);
        if (parts.stream().allMatch(Part::excluded)) {
            throw Refused.invalid("invalid-query",
                    "q: needs at least one word to look for, not only exclusions (-word)");
        }
        return new SearchQuery(parts);
    }

    /** The query as searched; one whose words are all too common to index matches nothing. */
    Query query() {
        return build(false);
    }

    /**
     * The same query for marking the hits in the page shown: prefixes as prefixes of the words of
     * title and text (the search itself looks them up among the indexed beginnings of words).
     */
    Query highlight() {
        return build(true);
    }

    /** The query with its misspelt words corrected against the index's own words; empty when none is. */
    Optional<SearchQuery> corrected(IndexReader reader) {
        return corrected(word -> {
            try {
                return correction(reader, word);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The query with the words {@code correction} corrects (null: none), among those that may be
     * misspelt (no phrase, prefix or exclusion); empty when none is.
     */
    Optional<SearchQuery> corrected(java.util.function.UnaryOperator<String> correction) {
        List<Part> fixed = new ArrayList<>(parts.size());
        boolean any = false;
        for (Part part : parts) {
            String corrected = part.phrase() || part.prefix() || part.excluded() ? null : correction.apply(part.text());
            any |= corrected != null;
            fixed.add(corrected == null ? part : new Part(part.text(), false, false, false, corrected));
        }
        return any ? Optional.of(new SearchQuery(fixed)) : Optional.empty();
    }

    /** The words, phrases and prefixes as typed (for another engine to build its query from). */
    List<Part> parts() {
        return parts;
    }

    /** What was typed, with corrections in place of the misspelt words ("did you mean"). */
    @Override
    public String toString() {
        return String.join(" ", parts.stream().map(Part::toString).toList());
    }

    private Query build(boolean forHighlight) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        boolean anyPositive = false;
        for (Part part : parts) {
            Query clause = clause(part, forHighlight);
            if (clause == null) {
                continue;
            }
            query.add(clause, part.excluded() ? Occur.MUST_NOT : Occur.MUST);
            anyPositive |= !part.excluded();
        }
        return anyPositive ? query.build() : new MatchNoDocsQuery("only common words");
    }

    /**
     * The word of the index nearest to each of the word's tokens that no document holds, or null
     * when every token is in the index (or too short to correct, or nothing is near enough).
     */
    private static String correction(IndexReader reader, String word) throws IOException {
        List<String> tokens = tokens(SearchDoc.F_BODY, word);
        List<String> corrected = new ArrayList<>(tokens.size());
        boolean any = false;
        for (String token : tokens) {
            String better = token.length() < 5 || known(reader, token) ? null : nearest(reader, token);
            any |= better != null;
            corrected.add(better == null ? token : better);
        }
        return any ? String.join(" ", corrected) : null;
    }

    private static boolean known(IndexReader reader, String token) throws IOException {
        for (String field : TEXT_FIELDS) {
            if (reader.docFreq(new Term(field, token)) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The most frequent word of the text, else of the titles, one edit from {@code token}, else
     * (a word of 8 letters or more) two edits: building the two-edit automaton was a fifth of
     * the server's time in the benchmark's typo queries, and most typos are one edit.
     */
    private static String nearest(IndexReader reader, String token) throws IOException {
        for (int edits = 1; edits <= (token.length() >= 8 ? 2 : 1); edits++) {
            DirectSpellChecker checker = new DirectSpellChecker();
            checker.setMinPrefix(1);
            checker.setMaxEdits(edits);
            checker.setMinQueryLength(5);
            checker.setMaxInspections(5);
            for (String field : List.of(SearchDoc.F_BODY, SearchDoc.F_TITLE)) {
                SuggestWord[] found = checker.suggestSimilar(new Term(field, token), 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
                if (found.length > 0) {
                    return found[0].string;
                }
            }
        }
        return null;
    }

    private static List<Part> split(String text) {
        if (text.length() > MAX_LENGTH) {
            throw Refused.invalid("invalid-query", "q: is " + text.length() + " characters long; at most "
                    + MAX_LENGTH + " are searched");
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean excluded = c == '-';
            int start = excluded ? i + 1 : i;
            if (start < text.length() && text.charAt(start) == '"') {
                int close = text.indexOf('"', start + 1);
                if (close < 0) {
                    throw Refused.invalid("invalid-query", "q: the quote at position " + (start + 1)
                            + " is not closed; add a closing \" or remove it");
                }
                String phrase = text.substring(start + 1, close).strip();
                if (!phrase.isEmpty()) {
                    parts.add(new Part(phrase, true, false, excluded));
                }
                i = close + 1;
                continue;
            }
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            String word = text.substring(start, end);
            i = end;
            if (word.isEmpty() || word.equals("*")) {
                continue; // a lone - or * stands for nothing
            }
            boolean prefix = word.endsWith("*");
            if (prefix && word.length() < 3) {
                throw Refused.invalid("invalid-query", "q: a prefix needs at least two letters before *");
            }
            parts.add(new Part(prefix ? word.substring(0, word.length() - 1) : word, false, prefix, excluded));
        }
        if (parts.isEmpty()) {
            throw Refused.invalid("invalid-query", "q: is empty");
        }
        if (parts.size() > MAX_PARTS) {
            throw Refused.invalid("invalid-query", "q: has " + parts.size() + " words and phrases; at most "
                    + MAX_PARTS + " are searched");
        }
        return parts;
    }

    private static Query clause(Part part, boolean forHighlight) {
        if (part.prefix()) {
            return prefix(part.text().toLowerCase(Locale.ROOT), forHighlight);
        }
        List<Query> alternatives = new ArrayList<>();
        exact(part.text(), part.phrase(), 1f, alternatives);
        if (part.correction() != null) {
            exact(part.correction(), false, TYPO_WEIGHT, alternatives);
        }
        // The best field alone counts (no tie-breaker): only then does Lucene pass the lowest score that
        // can still make the top down to each field's postings and skip the blocks that cannot.
        return alternatives.isEmpty() ? null : new DisjunctionMaxQuery(alternatives, 0f);
    }

    private static void exact(String text, boolean phrase, float weight, List<Query> alternatives) {
        QueryBuilder builder = new QueryBuilder(SearchIndex.ANALYZER);
        for (String field : TEXT_FIELDS) {
            Query exact = phrase ? builder.createPhraseQuery(field, text) : builder.createBooleanQuery(field, text, Occur.MUST);
            if (exact != null) {
                alternatives.add(boost(exact, weight(field) * weight));
            }
        }
    }

    /**
     * A prefix matches the beginning of a word of a title, name or tag (or of the text of what has
     * no title): one indexed term up to SearchIndex.MAX_PREFIX letters; a longer one is rare enough
     * to expand. For highlighting, the words of title and text that start so.
     */
    private static Query prefix(String prefix, boolean forHighlight) {
        if (forHighlight) {
            List<Query> alternatives = new ArrayList<>();
            for (String field : TEXT_FIELDS) {
                alternatives.add(boost(new PrefixQuery(new Term(field, prefix)), weight(field)));
            }
            return new DisjunctionMaxQuery(alternatives, 0.1f);
        }
        Term term = new Term(SearchDoc.F_PREFIXES, prefix.length() > SearchIndex.MAX_PREFIX ? prefix.substring(0, SearchIndex.MAX_PREFIX) : prefix);
        Query beginning = new TermQuery(term);
        if (prefix.length() <= SearchIndex.MAX_PREFIX) {
            return beginning;
        }
        List<Query> longer = new ArrayList<>();
        for (String field : TEXT_FIELDS) {
            longer.add(boost(new PrefixQuery(new Term(field, prefix)), weight(field)));
        }
        return new BooleanQuery.Builder().add(beginning, Occur.FILTER).add(new DisjunctionMaxQuery(longer, 0.1f), Occur.MUST).build();
    }

    static float weight(String field) {
        return switch (field) {
            case SearchDoc.F_TITLE, SearchDoc.F_NAME -> TITLE_BOOST;
            case SearchDoc.F_TAGS -> TAG_BOOST;
            default -> 1f;
        };
    }

    private static Query boost(Query query, float boost) {
        return boost == 1f ? query : new BoostQuery(query, boost);
    }

    private static List<String> tokens(String field, String text) {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = SearchIndex.ANALYZER.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }

    /** The words of a suggestion query: every word but the last must match whole, the last as a prefix. */
    static Query suggestion(String text) {
        if (text.length() > MAX_LENGTH) {
            throw Refused.invalid("invalid-query", "q: at most " + MAX_LENGTH + " characters");
        }
        List<String> words = tokens(SearchDoc.F_SUGGEST, text);
        if (words.isEmpty()) {
            return new MatchNoDocsQuery("no words");
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (int i = 0; i < words.size(); i++) {
            Term term = new Term(SearchDoc.F_SUGGEST, words.get(i));
            query.add(i == words.size() - 1 ? new PrefixQuery(term) : new TermQuery(term), Occur.MUST);
        }
        return query.build();
    }
}
