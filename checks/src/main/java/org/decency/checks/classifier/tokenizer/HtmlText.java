package org.decency.checks.classifier.tokenizer;

import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * An HTML part reduced to what a reader sees, with jsoup (a browser's parser, so broken
 * HTML is read as a browser would). Besides the text, what the markup says becomes
 * features of its own: each tag ({@code htmltag:font}), the links and images (through
 * {@link UrlFeatures}), comments, and text a reader cannot see (inside {@code
 * display:none}, {@code visibility:hidden} or a zero or one pixel font), which spammers
 * fill with words to fool word-counting filters; those words count as {@code hidden:word},
 * not as the mail's text.
 */
public final class HtmlText {

    /** The visible and the hidden text of a part. */
    public record Reduced(String visible, String hidden) {}

    private HtmlText() {}

    public static Reduced reduce(String html, FeatureSet out, UrlFeatures urls) {
        Element body = Jsoup.parse(html).body();
        Walker w = new Walker(out, urls);
        NodeTraversor.traverse(w, body);
        return new Reduced(w.visible.toString(), w.hidden.toString());
    }

    private static final class Walker implements NodeVisitor {
        final FeatureSet out;
        final UrlFeatures urls;
        final StringBuilder visible = new StringBuilder();
        final StringBuilder hidden = new StringBuilder();
        int hiddenFrom = -1;

        Walker(FeatureSet out, UrlFeatures urls) {
            this.out = out;
            this.urls = urls;
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                (hiddenFrom >= 0 ? hidden : visible).append(t.getWholeText());
            } else if (node instanceof Comment) {
                out.add("html", "comment");
            } else if (node instanceof Element e) {
                element(e, depth);
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (!(node instanceof Element e)) return;
            if (e.isBlock()) space();
            if (depth == hiddenFrom) hiddenFrom = -1;
        }

        private void element(Element e, int depth) {
            String tag = e.normalName();
            out.add("htmltag", tag);
            if (e.isBlock() || tag.equals("br")) space();
            switch (tag) {
                case "a" -> {
                    if (e.hasAttr("href")) urls.link(e.attr("href"));
                }
                case "img" -> {
                    if (e.hasAttr("src")) urls.link(e.attr("src"));
                }
                case "font" -> {
                    if (e.hasAttr("color")) out.add("htmlattr", "font.color");
                    if (e.hasAttr("size")) out.add("htmlattr", "font.size=" + e.attr("size").strip());
                }
                case "form", "input", "script", "iframe", "object", "embed" -> out.add("html", "active:" + tag);
                default -> { }
            }
            if (hiddenFrom < 0 && isHidden(e)) {
                hiddenFrom = depth;
                out.add("html", "hidden");
            }
        }

        private void space() {
            StringBuilder b = hiddenFrom >= 0 ? hidden : visible;
            if (!b.isEmpty() && b.charAt(b.length() - 1) != ' ') b.append(' ');
        }

        private static boolean isHidden(Element e) {
            if (e.hasAttr("hidden")) return true;
            String style = e.attr("style");
            if (style.isEmpty()) return false;
            String s = style.toLowerCase(Locale.ROOT).replace(" ", "");
            return s.contains("display:none") || s.contains("visibility:hidden") || s.contains("font-size:0")
                    || s.contains("font-size:1px") || s.contains("font-size:1pt");
        }
    }
}
