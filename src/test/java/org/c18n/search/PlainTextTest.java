package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shortcut for plain lines must give what rendering the Markdown gives. */
class PlainTextTest {
    @Test
    void aPlainLineComesBackAsRenderingWouldGiveIt() {
        for (String line : new String[] {"Hello, world.", "  well-known (really); 100% sure? yes: it's \"fine\"  ",
                "C++ and e-mail", "café crème – déjà vu", "a  b\tc", "x = y + 1", "sum(a, b) / 2 @ 5 $ #tag", "é"}) {
            assertThat(PlainText.isPlainLine(line)).as(line).isTrue();
            assertThat(PlainText.of(line)).as(line).isEqualTo(PlainText.rendered(line));
        }
    }

    @Test
    void markdownIsStillRendered() {
        assertThat(PlainText.of("**bold** and `code`")).isEqualTo("bold and code");
        assertThat(PlainText.of("# Title")).isEqualTo("Title");
        assertThat(PlainText.of("- item")).isEqualTo("item");
        assertThat(PlainText.of("1. first")).isEqualTo("first");
        assertThat(PlainText.of("a [link](http://x.org) &amp; more")).isEqualTo("a link & more");
        assertThat(PlainText.of("two\nlines")).isEqualTo("two lines");
    }

    @Test
    void randomLinesTheShortcutTakesRenderTheSame() {
        Random random = new Random(42);
        String alphabet = "abcXYZ019 \t.,;:'\"()?-+=/%$@#^{}é–*_`[]!<>&~|\\";
        int taken = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder line = new StringBuilder();
            for (int i = 1 + random.nextInt(30); i > 0; i--) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = line.toString();
            if (!text.isBlank() && PlainText.isPlainLine(text)) {
                taken++;
                assertThat(PlainText.of(text)).as("[" + text + "]").isEqualTo(PlainText.rendered(text));
            }
        }
        assertThat(taken).isGreaterThan(1_000);
    }
}
