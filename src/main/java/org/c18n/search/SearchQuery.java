package org.c18n.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.QueryBuilder;
import org.c18n.eventlog.Refused;

/**
 * The query language of the search box: words (all must match, in any of title, name, tags or
 * text; a title or name match counts most), {@code "exact phrases"}, {@code prefix*} and
 * {@code -excluded} words or phrases. Words of five letters or more also match with one typo,
 * of eight or more with two. Anything else is plain text; only an unclosed quote, a bare
 * operator or an over-long query is an error ({@code invalid-query}).
 *
 * <p>Typo matching is a second try ({@code typos}), made when the words as typed find little:
 * widening every long word to its near neighbours costs more than the rest of the query.
 */
final class SearchQuery {
    static final int MAX_LENGTH = 200;
    static final int MAX_PARTS = 12;
    private static final float TITLE_BOOST = 3f;
    private static final float TAG_BOOST = 2f;
    private static final float TYPO_WEIGHT = 0.5f;

    private record Part(String text, boolean phrase, boolean prefix, boolean excluded) {}

    private SearchQuery() {}

    /** The Lucene query for {@code text}; a query whose words are all too common to index matches nothing. */
    static Query parse(String text, boolean typos) {
        List<Part> parts = split(text);
        if (parts.stream().allMatch(Part::excluded)) {
            throw Refused.invalid("invalid-query",
                    "q: needs at least one word to look for, not only exclusions (-word)");
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        boolean anyPositive = false;
        for (Part part : parts) {
            Query clause = clause(part, typos);
            if (clause == null) {
                continue;
            }
            query.add(clause, part.excluded() ? Occur.MUST_NOT : Occur.MUST);
            anyPositive |= !part.excluded();
        }
        return anyPositive ? query.build() : new MatchNoDocsQuery("only common words");
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

    private static Query clause(Part part, boolean typos) {
        QueryBuilder builder = new QueryBuilder(SearchIndex.ANALYZER);
        List<Query> alternatives = new ArrayList<>();
        for (String field : List.of(SearchDoc.F_TITLE, SearchDoc.F_NAME, SearchDoc.F_TAGS, SearchDoc.F_BODY)) {
            float boost = weight(field);
            if (part.prefix()) {
                alternatives.add(boost(new PrefixQuery(new Term(field, part.text().toLowerCase(Locale.ROOT))), boost));
                continue;
            }
            Query exact = part.phrase() ? builder.createPhraseQuery(field, part.text())
                    : builder.createBooleanQuery(field, part.text(), Occur.MUST);
            if (exact != null) {
                alternatives.add(boost(exact, boost));
            }
            int edits = !typos || part.phrase() || part.excluded() ? 0 : part.text().length() >= 8 ? 2 : part.text().length() >= 5 ? 1 : 0;
            if (edits > 0) {
                for (String token : tokens(field, part.text())) {
                    alternatives.add(boost(new FuzzyQuery(new Term(field, token), edits, 1, 20, true), boost * TYPO_WEIGHT));
                }
            }
        }
        return alternatives.isEmpty() ? null : new DisjunctionMaxQuery(alternatives, 0.1f);
    }

    private static float weight(String field) {
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
            query.add(i == words.size() - 1 ? new PrefixQuery(term) : new org.apache.lucene.search.TermQuery(term), Occur.MUST);
        }
        return query.build();
    }
}
