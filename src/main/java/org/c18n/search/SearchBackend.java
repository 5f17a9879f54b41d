package org.c18n.search;

import java.util.List;
import org.c18n.web.CurrentUser;

/**
 * Where the search API's questions are answered: {@link Search} on this node's Lucene index, or
 * {@link OpenSearchSearch} on the cluster's OpenSearch index. The query language, the access rules
 * and the answer are the same.
 */
interface SearchBackend {
    Search.Result search(Search.Request request, CurrentUser me, ServerTiming timing);

    List<Search.Suggestion> suggest(String q, CurrentUser me);
}
