package org.c18n.suggestion;

import java.util.List;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Communities the caller may like, each with why. */
@RestController
public class SuggestionController {
    private final Suggestions suggestions;

    public SuggestionController(Suggestions suggestions) {
        this.suggestions = suggestions;
    }

    @GetMapping("/api/v1/suggestions/communities")
    public List<Suggestions.Suggestion> communities(CurrentUser me, @RequestParam(defaultValue = "5") int limit) {
        if (limit < 1 || limit > 20) {
            throw ApiException.badRequest("validation", "limit: must be between 1 and 20");
        }
        return suggestions.communities(me.id(), limit);
    }
}
