package org.decency.checks.classifier.tokenizer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.jsoup.nodes.Entities;

/**
 * An HTML part reduced to what a reader sees, in one pass over the characters (no document
 * tree: a spam filter needs the words, not the layout, and a tree builder cost most of the
 * time a mail took to read). Besides the text, what the markup says becomes features of its
 * own: each tag ({@code htmltag:font}), the links and images (through {@link UrlFeatures}),
 * comments, and text a reader cannot see (inside {@code display:none}, {@code
 * visibility:hidden}, a {@code hidden} attribute or a zero or one pixel font), which
 * spammers fill with words to fool word-counting filters; those words count as {@code
 * hidden:word}, not as the mail's text.
 *
 * <p>It reads HTML as a browser would where that matters for the words: character
 * references are decoded ({@code V&#105;agra} is "viagra"), an inline tag does not split a
 * word ({@code Vi<b>a</b>gra}) where a block tag does, the contents of {@code script} and
 * {@code style} and everything in the {@code head} are no text, and a hidden element ends
 * with its own end tag even if elements inside it were left open.
 */
public final class HtmlText {

    /** The visible and the hidden text of a part. */
    public record Reduced(String visible, String hidden) {}

    /** Elements that start a new line (browsers' block elements): their tags separate words. */
    private static final Set<String> BLOCK = Set.of("address", "article", "aside", "blockquote", "body", "caption", "center",
            "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
            "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "listing", "main",
            "menu", "nav", "noframes", "noscript", "ol", "p", "plaintext", "pre", "section", "table", "tbody", "td", "tfoot",
            "th", "thead", "tr", "ul", "ins", "del", "video", "audio", "canvas", "marquee", "applet", "template", "svg", "math",
            "option", "optgroup", "select", "textarea", "legend", "button");
    /** Elements without content: never on the stack of open elements. */
    private static final Set<String> VOID = Set.of("area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
            "image", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr");
    /** Elements a browser puts in the head when they come before the body's content. */
    private static final Set<String> HEAD = Set.of("base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style",
            "template", "title", "noscript");
    /** Elements whose content is raw text up to their end tag; of these, script and style are no text at all. */
    private static final Set<String> RAW = Set.of("script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes");

    private static final int MAX_DEPTH = 256;

    private HtmlText() {}

    public static Reduced reduce(String html, FeatureSet out, UrlFeatures urls) {
        Reducer r = new Reducer(html, out, urls);
        r.run();
        return new Reduced(r.visible.toString(), r.hidden.toString());
    }

    private static final class Reducer {
        final String s;
        final int n;
        final FeatureSet out;
        final UrlFeatures urls;
        final StringBuilder visible;
        final StringBuilder hidden = new StringBuilder();
        final String[] open = new String[MAX_DEPTH];
        int depth;
        /** The depth of the open element that hides its content, or -1. */
        int hiddenAt = -1;
        boolean inHead;
        boolean bodyStarted;
        // the current tag's attributes that matter
        String href, src, color, size, style;
        boolean hiddenAttr;

        Reducer(String html, FeatureSet out, UrlFeatures urls) {
            this.s = html;
            this.n = html.length();
            this.out = out;
            this.urls = urls;
            this.visible = new StringBuilder(Math.min(n, 1 << 16));
        }

        void run() {
            out.add("htmltag", "body");
            int i = 0;
            while (i < n) {
                int lt = s.indexOf('<', i);
                int end = lt < 0 ? n : lt;
                if (end > i) text(i, end);
                if (lt < 0) break;
                i = markup(lt);
            }
        }

        private StringBuilder sink() {
            return hiddenAt >= 0 ? hidden : visible;
        }

        /** Text from {@code from} to {@code to}, its character references decoded. */
        private void text(int from, int to) {
            if (!bodyStarted) {
                int k = from;
                while (k < to && s.charAt(k) <= ' ') k++;
                if (k == to) return;
                if (inHead) return; // text in an explicit head: the title and the like
                bodyStarted = true;
            }
            StringBuilder b = sink();
            int amp = s.indexOf('&', from);
            if (amp < 0 || amp >= to) {
                b.append(s, from, to);
                return;
            }
            decode(b, from, to);
        }

        private void decode(StringBuilder b, int from, int to) {
            int i = from;
            while (i < to) {
                int amp = s.indexOf('&', i);
                if (amp < 0 || amp >= to) {
                    b.append(s, i, to);
                    return;
                }
                b.append(s, i, amp);
                i = reference(b, amp, to);
            }
        }

        /** A character reference at {@code amp}; appends what it stands for and returns where the text goes on. */
        private int reference(StringBuilder b, int amp, int to) {
            int k = amp + 1;
            if (k < to && s.charAt(k) == '#') {
                k++;
                boolean hex = k < to && (s.charAt(k) == 'x' || s.charAt(k) == 'X');
                if (hex) k++;
                int start = k;
                long cp = 0;
                while (k < to && k - start < 8) {
                    int d = Character.digit(s.charAt(k), hex ? 16 : 10);
                    if (d < 0) break;
                    cp = cp * (hex ? 16 : 10) + d;
                    k++;
                }
                if (k == start) {
                    b.append('&');
                    return amp + 1;
                }
                if (k < to && s.charAt(k) == ';') k++;
                if (cp == 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) b.append('\uFFFD');
                else b.appendCodePoint((int) cp);
                return k;
            }
            int start = k;
            while (k < to && k - start < 32 && Character.isLetterOrDigit(s.charAt(k))) k++;
            if (k > start) {
                String name = s.substring(start, k);
                boolean semi = k < to && s.charAt(k) == ';';
                if (semi || Entities.isBaseNamedEntity(name)) {
                    String v = Entities.getByName(name);
                    if (!v.isEmpty()) {
                        b.append(v);
                        return semi ? k + 1 : k;
                    }
                }
            }
            b.append('&');
            return amp + 1;
        }

        /** Markup starting with the {@code <} at {@code lt}; returns where the text goes on. */
        private int markup(int lt) {
            int i = lt + 1;
            if (i >= n) {
                text(lt, n);
                return n;
            }
            char c = s.charAt(i);
            if (c == '!') {
                if (s.startsWith("--", i + 1)) {
                    int close = s.indexOf("-->", i + 3);
                    if (!inHead) out.add("html", "comment");
                    return close < 0 ? n : close + 3;
                }
                if (!s.regionMatches(true, i + 1, "doctype", 0, 7) && !s.startsWith("[CDATA[", i + 1) && !inHead) {
                    out.add("html", "comment"); // a bogus comment, as browsers read <!foo>
                }
                int close = s.indexOf('>', i);
                return close < 0 ? n : close + 1;
            }
            if (c == '?') {
                if (!inHead) out.add("html", "comment");
                int close = s.indexOf('>', i);
                return close < 0 ? n : close + 1;
            }
            boolean endTag = c == '/';
            if (endTag) i++;
            int nameStart = i;
            if (i >= n || !isAsciiLetter(s.charAt(i))) {
                if (endTag) { // </ followed by no name: skipped up to the next >
                    int close = s.indexOf('>', i);
                    return close < 0 ? n : close + 1;
                }
                text(lt, lt + 1);
                return lt + 1;
            }
            while (i < n && !isSpace(s.charAt(i)) && s.charAt(i) != '/' && s.charAt(i) != '>') i++;
            String tag = lower(nameStart, i);
            href = src = color = size = style = null;
            hiddenAttr = false;
            int close = attributes(i, !endTag);
            boolean selfClosing = close > lt + 1 && close <= n && s.charAt(close - 2) == '/';
            if (endTag) endTag(tag);
            else startTag(tag, selfClosing);
            if (!endTag && RAW.contains(tag) && !selfClosing) return rawText(tag, close);
            return close;
        }

        /** Reads the attributes from {@code i} up to the tag's {@code >}; returns the index after it. */
        private int attributes(int i, boolean keep) {
            while (i < n) {
                char c = s.charAt(i);
                if (c == '>') return i + 1;
                if (isSpace(c) || c == '/') {
                    i++;
                    continue;
                }
                int nameStart = i;
                while (i < n && !isSpace(s.charAt(i)) && s.charAt(i) != '>' && s.charAt(i) != '=' && (s.charAt(i) != '/' || i == nameStart)) i++;
                int nameEnd = i;
                while (i < n && isSpace(s.charAt(i))) i++;
                int valueStart = -1, valueEnd = -1;
                if (i < n && s.charAt(i) == '=') {
                    i++;
                    while (i < n && isSpace(s.charAt(i))) i++;
                    if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                        char q = s.charAt(i);
                        int endQ = s.indexOf(q, i + 1);
                        if (endQ < 0) endQ = n;
                        valueStart = i + 1;
                        valueEnd = endQ;
                        i = Math.min(n, endQ + 1);
                    } else {
                        valueStart = i;
                        while (i < n && !isSpace(s.charAt(i)) && s.charAt(i) != '>') i++;
                        valueEnd = i;
                    }
                }
                if (keep) attribute(nameStart, nameEnd, valueStart, valueEnd);
            }
            return n;
        }

        private void attribute(int nameStart, int nameEnd, int valueStart, int valueEnd) {
            int len = nameEnd - nameStart;
            if (len < 3 || len > 6) return;
            String name = lower(nameStart, nameEnd);
            switch (name) {
                case "href" -> { if (href == null) href = value(valueStart, valueEnd); }
                case "src" -> { if (src == null) src = value(valueStart, valueEnd); }
                case "color" -> { if (color == null) color = value(valueStart, valueEnd); }
                case "size" -> { if (size == null) size = value(valueStart, valueEnd); }
                case "style" -> { if (style == null) style = value(valueStart, valueEnd); }
                case "hidden" -> hiddenAttr = true;
                default -> { }
            }
        }

        private String value(int from, int to) {
            if (from < 0) return "";
            int amp = s.indexOf('&', from);
            if (amp < 0 || amp >= to) return s.substring(from, to);
            StringBuilder b = new StringBuilder(to - from);
            decode(b, from, to);
            return b.toString();
        }

        private void startTag(String tag, boolean selfClosing) {
            if (tag.equals("html")) return;
            if (tag.equals("head")) {
                if (!bodyStarted) inHead = true;
                return;
            }
            if (!bodyStarted && HEAD.contains(tag)) {
                if (!VOID.contains(tag) && !selfClosing) push(tag); // its end tag pops it
                return;
            }
            inHead = false;
            bodyStarted = true;
            if (tag.equals("body")) return;
            out.add("htmltag", tag);
            if (tag.equals("tr") && inTableWithoutSection()) out.add("htmltag", "tbody"); // as a browser adds it
            boolean block = BLOCK.contains(tag);
            if (block || tag.equals("br")) space();
            if (block && depth > 0 && open[depth - 1].equals("p")) pop(depth - 1); // a block closes an open paragraph
            switch (tag) {
                case "a" -> { if (href != null) urls.link(href); }
                case "img" -> { if (src != null) urls.link(src); }
                case "font" -> {
                    if (color != null) out.add("htmlattr", "font.color");
                    if (size != null) out.add("htmlattr", "font.size=" + size.strip());
                }
                case "form", "input", "script", "iframe", "object", "embed" -> out.add("html", "active:" + tag);
                default -> { }
            }
            if (VOID.contains(tag) || selfClosing) {
                if (hiddenAt < 0 && isHidden()) out.add("html", "hidden");
                return;
            }
            if ((tag.equals("li") || tag.equals("td") || tag.equals("th") || tag.equals("tr")) && depth > 0 && open[depth - 1].equals(tag)) {
                pop(depth - 1); // <li>a<li>b: the second closes the first
            }
            push(tag);
            if (hiddenAt < 0 && isHidden()) {
                hiddenAt = depth - 1;
                out.add("html", "hidden");
            }
        }

        private void endTag(String tag) {
            if (tag.equals("head")) {
                inHead = false;
                return;
            }
            if (tag.equals("body") || tag.equals("html")) return;
            for (int k = depth - 1; k >= 0; k--) {
                if (open[k].equals(tag)) {
                    pop(k);
                    break;
                }
            }
            if (bodyStarted && BLOCK.contains(tag)) space();
        }

        private boolean inTableWithoutSection() {
            for (int k = depth - 1; k >= 0; k--) {
                switch (open[k]) {
                    case "table" -> { return true; }
                    case "tbody", "thead", "tfoot" -> { return false; }
                    default -> { }
                }
            }
            return false;
        }

        private void push(String tag) {
            if (depth < MAX_DEPTH) open[depth++] = tag;
        }

        /** Closes the element at {@code k} and every element opened inside it. */
        private void pop(int k) {
            if (hiddenAt >= k) hiddenAt = -1;
            Arrays.fill(open, k, depth, null);
            depth = k;
        }

        /** Skips the raw content of {@code tag} up to its end tag; the text of those that have text is read. */
        private int rawText(String tag, int from) {
            int end = from;
            int close;
            while (true) {
                int lt = s.indexOf("</", end);
                if (lt < 0) {
                    end = n;
                    close = n;
                    break;
                }
                if (s.regionMatches(true, lt + 2, tag, 0, tag.length())) {
                    end = lt;
                    int gt = s.indexOf('>', lt);
                    close = gt < 0 ? n : gt + 1;
                    break;
                }
                end = lt + 2;
            }
            boolean text = (tag.equals("title") || tag.equals("textarea") || tag.equals("xmp")) && bodyStarted && !inHead;
            if (text && end > from) text(from, end);
            for (int k = depth - 1; k >= 0; k--) {
                if (open[k].equals(tag)) {
                    pop(k);
                    break;
                }
            }
            if (bodyStarted && BLOCK.contains(tag)) space();
            return close;
        }

        private boolean isHidden() {
            if (hiddenAttr) return true;
            if (style == null || style.isEmpty()) return false;
            String st = style.toLowerCase(Locale.ROOT).replace(" ", "");
            return st.contains("display:none") || st.contains("visibility:hidden") || st.contains("font-size:0")
                    || st.contains("font-size:1px") || st.contains("font-size:1pt");
        }

        private void space() {
            StringBuilder b = sink();
            if (!b.isEmpty() && b.charAt(b.length() - 1) != ' ') b.append(' ');
        }

        private String lower(int from, int to) {
            boolean lower = true;
            for (int k = from; k < to && lower; k++) {
                char c = s.charAt(k);
                if (c >= 'A' && c <= 'Z' || c >= 128) lower = false;
            }
            String t = s.substring(from, to);
            return lower ? t : t.toLowerCase(Locale.ROOT);
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
