package org.c18n.search;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.springframework.util.FileSystemUtils;

/**
 * A Lucene index on local disk together with how far into the log it is: the next offset of
 * every partition is stored in the same commit as the documents, so after a restart the feed
 * resumes exactly where the index stands. An index from another schema version is discarded
 * (and rebuilt from the log by its feed).
 */
public final class SearchIndex implements Closeable, SearchWrites {
    /** Raise when documents change shape: every node then rebuilds its index from the log on start. */
    static final String SCHEMA = "3";
    private static final String SCHEMA_KEY = "c18n.schema";
    private static final String OFFSET_PREFIX = "offset:";

    /**
     * Text: lower case, English stop words dropped, plurals folded ("posts" finds "post"); no
     * stronger stemming, so that a typo is one edit away from the word indexed. Names and
     * suggestions keep their words whole.
     */
    static final Analyzer ANALYZER = new PerFieldAnalyzerWrapper(new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream stream = new EnglishPossessiveFilter(source);
            stream = new LowerCaseFilter(stream);
            stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            return new TokenStreamComponents(source, new EnglishMinimalStemFilter(stream));
        }

        @Override
        protected TokenStream normalize(String field, TokenStream in) {
            return new LowerCaseFilter(in);
        }
    }, Map.of(
            SearchDoc.F_NAME, new StandardAnalyzer(CharArraySet.EMPTY_SET),
            SearchDoc.F_SUGGEST, new StandardAnalyzer(CharArraySet.EMPTY_SET),
            SearchDoc.F_PREFIXES, prefixes()));

    /** Longest prefix indexed whole; a longer one is looked up among the words themselves (few of them share it). */
    static final int MAX_PREFIX = 10;

    /**
     * The beginnings of every word as typed (lower case, no stemming), 2 to {@value #MAX_PREFIX}
     * letters: {@code sourd*} is then a single term to look up rather than hundreds of words to
     * expand at query time. Only for what names an item (see SearchDoc.F_PREFIXES).
     */
    private static Analyzer prefixes() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                StandardTokenizer source = new StandardTokenizer();
                TokenStream stream = new LowerCaseFilter(new EnglishPossessiveFilter(source));
                return new TokenStreamComponents(source, new EdgeNGramTokenFilter(stream, 2, MAX_PREFIX, false));
            }
        };
    }

    private final Path path;
    private final NRTCachingDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<TopicPartition, Long> offsets = new HashMap<>();
    /** Documents written since the last refresh (empty: deleted), which the searcher cannot see yet. */
    private final Map<UUID, Optional<SearchDoc>> unrefreshed = new HashMap<>();
    private final boolean rebuilt;

    private SearchIndex(Path path, boolean rebuilt) throws IOException {
        this.path = path;
        this.rebuilt = rebuilt;
        // Refreshed several times a second while chat flows: each refresh flushes a tiny segment. Those stay
        // in memory until merged (no file per refresh), and tiny segments are merged together early and
        // cheaply; deletes (edits) are reclaimed in the same merges.
        this.directory = new NRTCachingDirectory(FSDirectory.open(path), 8, 48);
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setFloorSegmentMB(4);
        merges.setSegmentsPerTier(10);
        IndexWriterConfig config = new IndexWriterConfig(ANALYZER);
        config.setRAMBufferSizeMB(64);
        config.setMergePolicy(merges);
        config.setOpenMode(rebuilt ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.APPEND);
        this.writer = new IndexWriter(directory, config);
        if (rebuilt) {
            writer.setLiveCommitData(Map.of(SCHEMA_KEY, SCHEMA).entrySet());
            writer.commit();
        } else {
            SegmentInfos.readLatestCommit(directory).getUserData().forEach((key, value) -> {
                if (key.startsWith(OFFSET_PREFIX)) {
                    String partition = key.substring(OFFSET_PREFIX.length());
                    int colon = partition.lastIndexOf(':');
                    offsets.put(new TopicPartition(partition.substring(0, colon), Integer.parseInt(partition.substring(colon + 1))),
                            Long.parseLong(value));
                }
            });
        }
        this.searchers = new SearcherManager(writer, null);
    }

    /** Opens the index at {@code path}, starting an empty one when it is missing or of another schema. */
    public static SearchIndex open(Path path) {
        try {
            boolean current = false;
            if (Files.isDirectory(path)) {
                try (FSDirectory directory = FSDirectory.open(path)) {
                    current = DirectoryReader.indexExists(directory)
                              && SCHEMA.equals(SegmentInfos.readLatestCommit(directory).getUserData().get(SCHEMA_KEY));
                }
            }
            if (!current) {
                FileSystemUtils.deleteRecursively(path);
                Files.createDirectories(path);
            }
            return new SearchIndex(path, !current);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the search index at " + path, e);
        }
    }

    /** True while an index writer (a running node) holds the index at {@code path}. */
    static boolean inUse(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (FSDirectory directory = FSDirectory.open(path);
             org.apache.lucene.store.Lock lock = directory.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
            return false;
        } catch (org.apache.lucene.store.LockObtainFailedException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when this index was started empty (missing or old), so its feed reads the log from the start. */
    public boolean rebuilt() {
        return rebuilt;
    }

    public Path path() {
        return path;
    }

    /** The next offset to read of each partition the index has seen. */
    public Map<TopicPartition, Long> offsets() {
        return Map.copyOf(offsets);
    }

    @Override
    public void advance(TopicPartition partition, long nextOffset) {
        offsets.put(partition, nextOffset);
    }

    @Override
    public void put(SearchDoc doc) {
        try {
            writer.updateDocument(new Term(SearchDoc.F_ID, doc.id().toString()), doc.toDocument());
            unrefreshed.put(doc.id(), Optional.of(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(UUID id) {
        try {
            writer.deleteDocuments(new Term(SearchDoc.F_ID, id.toString()));
            unrefreshed.put(id, Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a document and rewrites the segments that held it, so that its text is gone from
     * the disk too, not only marked deleted (an erased person's profile).
     */
    @Override
    public void purge(UUID id) {
        delete(id);
        try {
            writer.forceMergeDeletes(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a post's comments with it. */
    @Override
    public void deleteComments(UUID postId) {
        try {
            writer.deleteDocuments(new Term(SearchDoc.F_POST, postId.toString()));
            unrefreshed.entrySet().removeIf(e -> e.getValue().map(doc -> postId.equals(doc.post())).orElse(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as written so far, including what the searcher does not see yet. */
    @Override
    public Optional<SearchDoc> get(UUID id) {
        Optional<SearchDoc> written = unrefreshed.get(id);
        if (written != null) {
            return written;
        }
        return search(searcher -> {
            try {
                TopDocs top = searcher.search(new TermQuery(new Term(SearchDoc.F_ID, id.toString())), 1);
                return top.scoreDocs.length == 0 ? Optional.<SearchDoc>empty()
                        : Optional.of(SearchDoc.fromDocument(searcher.storedFields().document(top.scoreDocs[0].doc)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Makes everything written so far visible to searches. */
    void refresh() {
        try {
            searchers.maybeRefreshBlocking();
            unrefreshed.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes everything written so far durable, with the offsets it reflects. */
    void commit() {
        Map<String, String> data = new HashMap<>();
        data.put(SCHEMA_KEY, SCHEMA);
        offsets.forEach((partition, offset) -> data.put(OFFSET_PREFIX + partition.topic() + ":" + partition.partition(),
                Long.toString(offset)));
        try {
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T search(Function<IndexSearcher, T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents visible to searches. */
    public int size() {
        return search(searcher -> searcher.getIndexReader().numDocs());
    }

    /** Bytes on disk. */
    public long sizeOnDisk() {
        try (Stream<Path> files = Files.list(path)) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
