package org.c18n.search;

import java.util.List;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Block;
import org.commonmark.node.Code;
import org.commonmark.node.CustomNode;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * Markdown as people read it once rendered: the words of headings, emphasis, links, lists,
 * quotes, code and tables without the {@code **}, {@code ```} or {@code |---|} around them (a
 * link keeps its text, an image its description). Raw HTML is kept as the text it is: the web
 * app shows it escaped, and so do the snippets.
 */
final class PlainText {
    private static final Parser MARKDOWN = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    private PlainText() {}

    /** Anywhere in a line, these may start Markdown (emphasis, code, links, HTML, entities, escapes, tables). */
    private static final String INLINE_MARKS = "\\`*_[]!<>&~|";
    /** At the start of a line, these may start a block (heading, quote, list, fence, thematic break). */
    private static final String BLOCK_MARKS = "#>-+*=`~<";

    static String of(String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return markdown;
        }
        // Most chat messages and many posts are one line of plain words: the parser would hand them back as they are.
        return isPlainLine(markdown) ? markdown.strip() : rendered(markdown);
    }

    /** One line that no Markdown rule can change but for the whitespace around it. */
    static boolean isPlainLine(String text) {
        String line = text.strip();
        char first = line.charAt(0);
        if (BLOCK_MARKS.indexOf(first) >= 0 || Character.isDigit(first)) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || INLINE_MARKS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    static String rendered(String markdown) {
        StringBuilder text = new StringBuilder(markdown.length());
        MARKDOWN.parse(markdown).accept(new AbstractVisitor() {
            @Override
            public void visit(Text node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(Code node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(HtmlInline node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak node) {
                text.append(' ');
            }

            @Override
            public void visit(HardLineBreak node) {
                text.append('\n');
            }

            @Override
            public void visit(FencedCodeBlock node) {
                block(node.getLiteral());
            }

            @Override
            public void visit(IndentedCodeBlock node) {
                block(node.getLiteral());
            }

            @Override
            public void visit(HtmlBlock node) {
                block(node.getLiteral());
            }

            @Override
            public void visit(CustomNode node) {
                visitChildren(node);
                if (node instanceof TableCell) {
                    text.append(' ');
                } else if (node instanceof TableRow) {
                    text.append('\n');
                }
            }

            @Override
            protected void visitChildren(Node parent) {
                super.visitChildren(parent);
                if (parent instanceof Block && !text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }

            private void block(String literal) {
                text.append(literal.strip()).append('\n');
            }
        });
        return text.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{2,}", "\n").strip();
    }
}
